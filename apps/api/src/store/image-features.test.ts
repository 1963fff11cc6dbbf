// Image feature vectors (issue 20) on SQLite and on a real PostgreSQL 15: stored bytes come back as the same
// float32 vector, per model, only for the owner's images, and go with their image (or never come, when the
// image was deleted while its vector was computed).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startPostgres, type TestPostgres, tempDir } from '@blip/testing';
import { openStore, type Store, type StoreLocation } from './index.js';

const image = (owner: string, sha256: string) => ({
  owner,
  sha256,
  format: 'png',
  mime: 'image/png',
  width: 4,
  height: 3,
  byteSize: 99,
  filename: null,
});

let pg: TestPostgres | undefined;
before(async () => {
  pg = await startPostgres();
});
after(async () => {
  await pg?.stop();
});

const dialects: [string, () => Promise<StoreLocation>][] = [
  ['SQLite', async () => ({ sqlitePath: join(tempDir('blip-features-'), 'blip.sqlite') })],
  [
    'PostgreSQL',
    async () => ({ sqlitePath: '', databaseUrl: await (pg as TestPostgres).createDatabase('f') }),
  ],
];

for (const [name, fresh] of dialects) {
  describe(`image features on ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await openStore(await fresh());
    });
    after(() => store?.close());

    test('vectors per image and model, scoped to the owner, gone with the image', async () => {
      const a = await store.images.upsert(image('alice', 'a'.repeat(64)));
      const b = await store.images.upsert(image('alice', 'b'.repeat(64)));
      const bobs = await store.images.upsert(image('bob', 'a'.repeat(64)));
      const vector = Float32Array.from([0.6, -0.8, 1e-7, Math.PI]);
      await store.features.put(a.id, 'demo', vector);
      await store.features.put(a.id, 'demo', Float32Array.from([9, 9, 9, 9])); // the first write stays
      await store.features.put(a.id, 'other', Float32Array.from([1, 0, 0, 0]));
      const rows = await store.features.forOwner('alice', 'demo');
      const byId = new Map(rows.map((r) => [r.imageId, r.vector && Array.from(r.vector)]));
      assert.deepEqual(
        byId,
        new Map([
          [a.id, Array.from(vector)],
          [b.id, null],
        ]),
      );
      assert.deepEqual(
        (await store.features.forOwner('bob', 'demo')).map((r) => [r.sha256, r.vector]),
        [['a'.repeat(64), null]],
      );
      // The hits' rows: the owner's only.
      const hits = await store.images.getMany('alice', [b.id, bobs.id, a.id]);
      assert.deepEqual([...hits.keys()].sort(), [a.id, b.id].sort());
      assert.equal(hits.get(b.id)?.sha256, 'b'.repeat(64));
      assert.equal(await store.images.delete('alice', a.id), true);
      assert.deepEqual(
        (await store.features.forOwner('alice', 'demo')).map((r) => r.imageId),
        [b.id],
      );
      const left = await store.db.selectFrom('image_features').select('image_id').execute();
      assert.deepEqual(left, []);
    });

    test('a vector for an image deleted meanwhile stores nothing and does not fail', async () => {
      const gone = await store.images.upsert(image('erin', 'e'.repeat(64)));
      assert.equal(await store.images.delete('erin', gone.id), true);
      await store.features.put(gone.id, 'demo', Float32Array.from([1, 0]));
      const rows = await store.db.selectFrom('image_features').select('image_id').execute();
      assert.deepEqual(rows, []);
    });

    test('the newest conversation of the owner about an image', async () => {
      const img = await store.images.upsert(image('carol', 'c'.repeat(64)));
      assert.equal(await store.features.latestConversationId('carol', img.id), undefined);
      const first = await store.conversations.create('carol', img.id, {}, 'one');
      const second = await store.conversations.create('carol', img.id, {}, 'two');
      await store.db // later than any clock of this test: no tie on the same millisecond
        .updateTable('conversations')
        .set({ updated_at: '2999-01-01T00:00:00.000Z' })
        .where('id', '=', first.id)
        .execute();
      assert.equal(await store.features.latestConversationId('carol', img.id), first.id);
      assert.equal(await store.features.latestConversationId('dave', img.id), undefined);
      assert.ok(second.id);
    });
  });
}
