// Overload through the real engine: concurrency 1 and queue 2, a burst of 10 → 3 served, 7 OVERLOADED at once,
// no rows left behind by the refused ones, the server healthy and its memory back where it was.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fixture, startTestServer, type TestServer } from '../testing/harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

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

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

async function burst(n: number) {
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const r = await server.gql<{ answer: { text: string } }>(ASK, { i: imageId, q: `question ${i}` });
      return { r, ms: performance.now() - started };
    }),
  );
  return results;
}

test('a burst of 10 with concurrency 1 and queue 2: 3 served, 7 OVERLOADED at once', async () => {
  await burst(3); // warm every code path once so the memory baseline is fair
  const baseline = heapMb();
  const conversationsBefore = server.app.services.conversations.count('x');
  const countBefore = (
    await server.gql<{ conversations: { totalCount: number } }>('{ conversations { totalCount } }')
  ).data?.conversations.totalCount as number;

  const results = await burst(10);
  const served = results.filter(({ r }) => r.data?.answer);
  const refused = results.filter(({ r }) => r.errors?.[0]?.extensions?.code === 'OVERLOADED');
  assert.equal(served.length, 3, JSON.stringify(results.map(({ r }) => r.errors?.[0] ?? 'ok')));
  assert.equal(refused.length, 7);
  // Refusals come at once, not after waiting behind the served ones.
  const slowestRefusal = Math.max(...refused.map(({ ms }) => ms));
  const fastestServed = Math.min(...served.map(({ ms }) => ms));
  assert.ok(
    slowestRefusal < fastestServed,
    `refused after ${slowestRefusal} ms, first served at ${fastestServed} ms`,
  );

  const countAfter = (
    await server.gql<{ conversations: { totalCount: number } }>('{ conversations { totalCount } }')
  ).data?.conversations.totalCount;
  assert.equal(countAfter, countBefore + 3, 'refused turns must leave no conversations behind');
  assert.equal(server.app.services.conversations.count('x'), conversationsBefore);

  const health = await fetch(`${server.url}/health`);
  assert.equal(health.status, 200);
  const again = await server.gql<{ answer: { text: string } }>(ASK, { i: imageId, q: 'still there?' });
  assert.ok(again.data?.answer, JSON.stringify(again.errors));
  const metrics = await server.metrics();
  assert.match(metrics, /blip_overloaded_total 7/);

  const growth = heapMb() - baseline;
  assert.ok(growth < 8, `heap grew by ${growth.toFixed(1)} MB after the burst`);
});
