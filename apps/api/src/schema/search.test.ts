// searchImages on the stand-in engine, whose feature vectors this test sets: the caller's images only, ranked by
// similarity, re-ranked by match when asked, missing vectors encoded once and stored, bounds and bad text refused with
// the argument named, a hit's conversation, and a model without image-text parts refused.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { rerankScore } from '@blip/engine';
import type { StandInEngine } from '@blip/engine/testing';
import { fixture, OTHER, startStandInServer, type TestServer } from '../testing/harness.js';

const FILES = ['shapes-640x480.png', 'grey-96x64.png', 'palette-80x40.png'] as const;
const key = (file: string) => createHash('sha256').update(fixture(file)).digest('hex');
// Each image points along its own axis; the texts point at one image each, or between two.
const IMAGE_VECTORS = new Map(
  FILES.map((file, i) => [key(file), Float32Array.from([0, 1, 2].map((j) => (j === i ? 1 : 0)))]),
);
const TEXT_VECTORS: Record<string, number[]> = {
  'red circles': [1, 0.2, 0],
  'something grey': [0.1, 1, 0.3],
  'a palette': [0, 0.3, 1],
};

let server: TestServer & { engine: StandInEngine };
const ids: Record<string, string> = {};
before(async () => {
  server = await startStandInServer(
    {
      features: {
        image: (k) => IMAGE_VECTORS.get(k),
        text: (t) => (TEXT_VECTORS[t] ? Float32Array.from(TEXT_VECTORS[t]) : undefined),
      },
    },
    { searchMaxResults: 5, searchMaxRerank: 2 },
  );
  for (const file of FILES)
    ids[file] = (await server.upload(fixture(file), file)).data?.uploadImage.id as string;
  await server.upload(fixture('tall-300x800.png'), 'tall.png', { ownerKey: OTHER }); // not the caller's
});
after(() => server.close());

const SEARCH = `query ($text: String!, $first: Int, $rerank: Int) {
  searchImages(text: $text, first: $first, rerank: $rerank) {
    model searched embedded reranked
    hits { score similarity match image { id } conversation { id } }
  }
}`;
interface Hit {
  score: number;
  similarity: number;
  match: number | null;
  image: { id: string };
  conversation: { id: string } | null;
}
type Search = {
  searchImages: { model: string; searched: number; embedded: number; reranked: number; hits: Hit[] };
};
const search = (variables: Record<string, unknown>) => server.gql<Search>(SEARCH, variables);
const codeOf = (r: { errors?: { extensions?: { code?: string; field?: string } }[] }) => [
  r.errors?.[0]?.extensions?.code,
  r.errors?.[0]?.extensions?.field,
];

test('ranks only the caller’s images by similarity; images stored without a vector are encoded once', async () => {
  // As if uploaded before vectors were made at upload (or while the engine was busy): the search makes them.
  await server.app.services.store.db.deleteFrom('image_features').execute();
  const first = await search({ text: 'something grey' });
  assert.equal(first.errors, undefined, JSON.stringify(first.errors));
  const result = first.data?.searchImages;
  assert.deepEqual(
    result?.hits.map((h) => h.image.id),
    [ids['grey-96x64.png'], ids['palette-80x40.png'], ids['shapes-640x480.png']],
  );
  assert.deepEqual([result?.searched, result?.embedded, result?.reranked], [3, 3, 0]);
  assert.ok(result?.hits.every((h) => h.match === null && h.score === h.similarity));
  const runs = server.engine.stats().visionRuns;
  const again = await search({ text: 'red circles', first: 1 });
  assert.deepEqual(
    again.data?.searchImages.hits.map((h) => h.image.id),
    [ids['shapes-640x480.png']],
  );
  assert.equal(again.data?.searchImages.embedded, 0);
  assert.equal(server.engine.stats().visionRuns, runs, 'stored vectors were encoded again');
});

test('rerank re-orders the top hits by the matching probability and reports it', async () => {
  const r = await search({ text: 'a palette', first: 3, rerank: 2 });
  const hits = r.data?.searchImages.hits ?? [];
  assert.equal(r.data?.searchImages.reranked, 2);
  assert.deepEqual(
    hits.map((h) => h.match === null),
    [false, false, true],
  );
  assert.equal(hits[0]?.image.id, ids['palette-80x40.png']);
  assert.ok((hits[0]?.score as number) >= (hits[1]?.score as number));
  assert.ok(
    hits
      .slice(0, 2)
      .every(
        (h) =>
          h.score === rerankScore(h.similarity, h.match as number) &&
          (h.match as number) >= 0 &&
          (h.match as number) <= 1,
      ),
  );
});

test('a hit names the newest conversation about its image, or null', async () => {
  const caption = await server.gql<{ caption: { conversation: { id: string } } }>(
    'mutation ($i: ID!) { caption(imageId: $i, options: { maxNewTokens: 2 }) { conversation { id } } }',
    { i: ids['grey-96x64.png'] },
  );
  const conversation = caption.data?.caption.conversation.id;
  assert.ok(conversation, JSON.stringify(caption.errors));
  const hits = (await search({ text: 'something grey', first: 2 })).data?.searchImages.hits ?? [];
  assert.deepEqual(
    hits.map((h) => h.conversation?.id ?? null),
    [conversation, null],
  );
});

test('bounds and bad text are refused with the argument named; limits publish the bounds', async () => {
  assert.deepEqual(codeOf(await search({ text: 'a palette', first: 6 })), ['BAD_USER_INPUT', 'first']);
  assert.deepEqual(codeOf(await search({ text: 'a palette', first: 0 })), ['BAD_USER_INPUT', 'first']);
  assert.deepEqual(codeOf(await search({ text: 'a palette', rerank: 3 })), ['BAD_USER_INPUT', 'rerank']);
  assert.deepEqual(codeOf(await search({ text: '   ' })), ['BAD_USER_INPUT', 'text']);
  assert.deepEqual(codeOf(await search({ text: 'why '.repeat(70) })), ['BAD_USER_INPUT', 'text']);
  const limits = await server.gql<{ limits: { search: object; maxQuestionChars: number } }>(
    '{ limits { maxQuestionChars search { defaultResults maxResults maxRerank } } }',
  );
  assert.deepEqual(limits.data?.limits.search, { defaultResults: 5, maxResults: 5, maxRerank: 2 });
});

test('a model without image-text parts cannot search', async () => {
  const other = await startStandInServer({ models: [{ family: 'blip-caption' }] });
  try {
    assert.deepEqual(codeOf(await other.gql(SEARCH, { text: 'a palette' })), ['UNSUPPORTED_TASK', 'model']);
  } finally {
    await other.close();
  }
});
