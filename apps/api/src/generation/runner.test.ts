// Overload on the stand-in engine, driven by a generation the test holds: with concurrency 1 and queue 2, one
// held and two waiting, every further answer is OVERLOADED (HTTP 429) at once, leaves nothing stored, and the
// three admitted ones complete when the test lets them. No timing: the burst arrives while the line is full.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StandInEngine } from '@blip/engine/testing';
import { anonOwner } from '../owner.js';
import { fixture, OWNER, startStandInServer, type TestServer } from '../testing/harness.js';

let server: TestServer & { engine: StandInEngine };
let imageId: string;
before(async () => {
  server = await startStandInServer({ concurrency: 1, maxQueue: 2 });
  imageId = (await server.upload(fixture('shapes-640x480.png'))).data?.uploadImage.id as string;
});
after(() => server.close());

const ASK = 'mutation ($i: ID!, $q: String!) { answer(imageId: $i, question: $q) { text } }';
const ask = (q: string) => server.gql<{ answer: { text: string } }>(ASK, { i: imageId, q });
const totalCount = async () =>
  (await server.gql<{ conversations: { totalCount: number } }>('{ conversations { totalCount } }')).data
    ?.conversations.totalCount as number;

test('one held and two waiting: a burst of 7 more is OVERLOADED at once, stores nothing; the 3 then complete', async () => {
  const owner = anonOwner(OWNER); // owners are stored hashed: count the rows of the test's own owner, as stored
  const before = await server.app.services.conversations.count(owner);
  const countBefore = await totalCount();
  const held = server.engine.hold();
  const admitted = [ask('held?')];
  await held.started;
  admitted.push(ask('waiting 1?'), ask('waiting 2?'));
  // Wait for the two to be in line (the condition, not a time).
  while (server.engine.queueDepth().waiting < 2) await sleep(5);
  const refused = await Promise.all(Array.from({ length: 7 }, (_, i) => ask(`refused ${i}?`)));
  assert.deepEqual(
    refused.map((r) => [r.status, r.errors?.[0]?.extensions?.code]),
    Array.from({ length: 7 }, () => [429, 'OVERLOADED']),
  );
  // Behind the load balancer (it sets x-blip-proxy-retry) the same refusal is a 503 it may retry on another replica.
  const viaProxy = await server.gql(
    ASK,
    { i: imageId, q: 'via the balancer?' },
    { headers: { 'x-blip-proxy-retry': '1' } },
  );
  assert.deepEqual([viaProxy.status, viaProxy.errors?.[0]?.extensions?.code], [503, 'OVERLOADED']);
  assert.equal(await totalCount(), countBefore + 3, 'refused answers leave no conversations behind');
  held.emit('yes');
  held.release();
  const served = await Promise.all(admitted);
  assert.deepEqual(
    served.map((r) => r.data?.answer.text),
    ['yes', 'a stand-in answer', 'a stand-in answer'],
  );
  assert.equal(await server.app.services.conversations.count(owner), before + 3);
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
  assert.ok((await ask('still there?')).data?.answer);
  assert.match(await server.metrics(), /blip_overloaded_total 8/);
});
