// Feature vectors at upload (issue 20): stored before the upload answers when the engine has a free slot, never
// waited for in line (a held generation keeps the slot), never a reason for an upload to fail, and left to the
// first search otherwise; on SQLite and on PostgreSQL. The cache the caption shares with the vector run is the real
// engine’s (tiny-vqa).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BlipError, type EmbedImageRequest, type FeatureVector } from '@blip/engine';
import { StandInEngine } from '@blip/engine/testing';
import { startPostgres } from '@blip/testing';
import { anonOwner } from '../owner.js';
import { fixture, OWNER, startStandInServer, startTestServer, type TestServer } from '../testing/harness.js';

const SEARCH = '{ searchImages(text: "shapes") { searched embedded hits { image { id } } } }';
type Search = { searchImages: { searched: number; embedded: number } };

/** The image ids that have a stored vector (any model). */
async function withVectors(server: TestServer): Promise<string[]> {
  const rows = await server.app.services.store.db.selectFrom('image_features').select('image_id').execute();
  return rows.map((r) => r.image_id).sort();
}

async function uploaded(server: TestServer, file: string): Promise<string> {
  const up = await server.upload(fixture(file), file);
  const id = up.data?.uploadImage.id;
  assert.ok(id, JSON.stringify(up.errors));
  return id;
}

describe('on the stand-in engine', () => {
  let server: TestServer & { engine: StandInEngine };
  before(async () => {
    server = await startStandInServer();
  });
  after(() => server.close());

  test('an upload on an idle server stores its vector; the first search encodes nothing', async () => {
    const id = await uploaded(server, 'shapes-640x480.png');
    assert.deepEqual(await withVectors(server), [id]);
    const runs = server.engine.stats().visionRuns;
    const search = await server.gql<Search>(SEARCH);
    assert.deepEqual([search.data?.searchImages.searched, search.data?.searchImages.embedded], [1, 0]);
    assert.equal(server.engine.stats().visionRuns, runs);
  });

  test('while a generation holds the slot, the upload answers at once without a vector; the search makes it', async () => {
    const [first] = await withVectors(server);
    const held = server.engine.hold();
    const asking = server.gql('mutation ($i: ID!) { caption(imageId: $i) { text } }', { i: first });
    await held.started;
    const busy = await uploaded(server, 'grey-96x64.png'); // answered while the generation is still held
    assert.deepEqual(server.engine.queueDepth(), { running: 1, waiting: 0 }, 'the upload queued nothing');
    assert.deepEqual(await withVectors(server), [first]);
    assert.match(await server.metrics(), /blip_upload_vectors_total\{outcome="busy"\} 1\n/);
    held.release();
    assert.equal((await asking).errors, undefined);
    const search = await server.gql<Search>(SEARCH);
    assert.deepEqual([search.data?.searchImages.searched, search.data?.searchImages.embedded], [2, 1]);
    assert.deepEqual(await withVectors(server), [first, busy].sort());
  });

  test('a file the engine refuses is a typed error and leaves no vector', async () => {
    const before = await withVectors(server);
    const bad = await server.upload(new TextEncoder().encode('not an image at all'), 'x.png');
    assert.deepEqual(
      [bad.errors?.[0]?.extensions?.code, bad.errors?.[0]?.extensions?.field],
      ['INVALID_IMAGE', 'file'],
    );
    assert.deepEqual(await withVectors(server), before);
  });
});

test('a model without image-text parts, and SEARCH_VECTORS_AT_UPLOAD=false: uploads as before, no vector', async () => {
  const caption = await startStandInServer({ models: [{ family: 'blip-caption' }] });
  const off = await startStandInServer({}, { searchVectorsAtUpload: false });
  try {
    for (const server of [caption, off]) {
      await uploaded(server, 'palette-80x40.png');
      assert.deepEqual(await withVectors(server), []);
    }
    assert.equal((await off.gql<Search>(SEARCH)).data?.searchImages.embedded, 1, 'the search makes it');
  } finally {
    await Promise.all([caption.close(), off.close()]);
  }
});

test('on PostgreSQL: the upload stores its vector there, and the search reads it back without encoding', async () => {
  const pg = await startPostgres();
  try {
    const server = await startStandInServer({}, { databaseUrl: await pg.createDatabase('vectors') });
    try {
      const id = await uploaded(server, 'grey-96x64.png');
      assert.deepEqual(await withVectors(server), [id]);
      const search = await server.gql<Search>(SEARCH);
      assert.deepEqual([search.data?.searchImages.searched, search.data?.searchImages.embedded], [1, 0]);
    } finally {
      await server.close();
    }
  } finally {
    await pg.stop();
  }
});

test('an engine failure while computing the vector does not fail the upload', async () => {
  class FailingVectors extends StandInEngine {
    override async embedImage(_request: EmbedImageRequest): Promise<FeatureVector> {
      throw new BlipError('RUNTIME', 'the image_feature part failed');
    }
  }
  const server = await startTestServer({}, new FailingVectors());
  try {
    await uploaded(server, 'palette-80x40.png');
    assert.deepEqual(await withVectors(server), []);
  } finally {
    await server.close();
  }
});

test('on tiny-vqa: the vector is the engine’s, and the caption that follows reads the embeddings it cached', async () => {
  const server = await startTestServer();
  try {
    const engine = server.app.services.engine;
    const before = engine.stats().visionRuns;
    const id = await uploaded(server, 'shapes-640x480.png');
    assert.equal(engine.stats().visionRuns, before + 1, 'the upload ran the vision encoder');
    const space = (await engine.embedText({ text: 'shapes' })).space;
    const [row] = await server.app.services.store.features.forOwner(anonOwner(OWNER), space); // stored hashed
    const expected = await engine.embedImage({
      image: { key: row?.sha256 as string, load: async () => fixture('shapes-640x480.png') },
    });
    assert.equal(row?.imageId, id);
    assert.deepEqual(row?.vector, expected.vector);
    const caption = await server.gql<{ caption: { imageCacheHit: boolean } }>(
      'mutation ($i: ID!) { caption(imageId: $i, options: { maxNewTokens: 2 }) { imageCacheHit } }',
      { i: id },
    );
    assert.equal(caption.data?.caption.imageCacheHit, true, JSON.stringify(caption.errors));
    assert.equal(engine.stats().visionRuns, before + 1, 'the caption ran the vision encoder again');
  } finally {
    await server.close();
  }
});
