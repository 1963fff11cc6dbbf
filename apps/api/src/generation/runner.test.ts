// Overload through the real engine: concurrency 1 and queue 2, a burst of 10 → 3 served, 7 OVERLOADED,
// no rows left behind by the refused ones, and the server healthy. (No timing or memory bounds: those are
// benchmarks, not assertions.)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { anonOwner } from '../owner.js';
import { fixture, OWNER, startTestServer, type TestServer } from '../testing/harness.js';

let server: TestServer;
let imageId: string;
before(async () => {
  server = await startTestServer({ concurrency: 1, maxQueue: 2 });
  imageId = (await server.upload(fixture('shapes-640x480.png'))).data?.uploadImage.id as string;
});
after(() => server.close());

const ASK = `mutation ($i: ID!, $q: String!) {
  answer(imageId: $i, question: $q, options: { minNewTokens: 40, maxNewTokens: 40 }) { text }
}`;

async function burst(n: number) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => ({
      r: await server.gql<{ answer: { text: string } }>(ASK, { i: imageId, q: `question ${i}` }),
    })),
  );
}

test('a burst of 10 with concurrency 1 and queue 2: 3 served, 7 OVERLOADED at once', async () => {
  // Owners are stored hashed: count the rows of the test's own owner, as stored.
  const conversationsBefore = await server.app.services.conversations.count(anonOwner(OWNER));
  assert.equal(conversationsBefore, 0);
  const countBefore = (
    await server.gql<{ conversations: { totalCount: number } }>('{ conversations { totalCount } }')
  ).data?.conversations.totalCount as number;

  const results = await burst(10);
  const served = results.filter(({ r }) => r.data?.answer);
  const refused = results.filter(({ r }) => r.errors?.[0]?.extensions?.code === 'OVERLOADED');
  assert.equal(served.length, 3, JSON.stringify(results.map(({ r }) => r.errors?.[0] ?? 'ok')));
  assert.equal(refused.length, 7);

  const countAfter = (
    await server.gql<{ conversations: { totalCount: number } }>('{ conversations { totalCount } }')
  ).data?.conversations.totalCount;
  assert.equal(countAfter, countBefore + 3, 'refused turns must leave no conversations behind');
  assert.equal(await server.app.services.conversations.count(anonOwner(OWNER)), conversationsBefore + 3);

  const health = await fetch(`${server.url}/health`);
  assert.equal(health.status, 200);
  const again = await server.gql<{ answer: { text: string } }>(ASK, { i: imageId, q: 'still there?' });
  assert.ok(again.data?.answer, JSON.stringify(again.errors));
  const metrics = await server.metrics();
  assert.match(metrics, /blip_overloaded_total 7/);
});
