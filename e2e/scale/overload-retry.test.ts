// A replica that answers OVERLOADED before anything runs is retried once on another (issue 19), through a real
// HAProxy with deploy/haproxy/haproxy.cfg: HAProxy 2.6 cannot retry a 429, so it marks every request, the API then
// answers OVERLOADED as a 503 it may retry, and HAProxy restores the contract's 429 when the retry is refused too.
// Two API replicas on one PostgreSQL, in this process on the engine stand-in: the test holds their generations, so
// "full" is a state the test makes, not a race.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO, startHaproxy, startPostgres, type TestHaproxy, type TestPostgres } from '@blip/testing';
import { fixture, OWNER, startStandInServer } from '../../apps/api/src/testing/harness.js';

type Replica = Awaited<ReturnType<typeof startStandInServer>>;
const replicas: Replica[] = [];
let pg: TestPostgres;
let haproxy: TestHaproxy;
let imageId: string;

before(async () => {
  pg = await startPostgres();
  const databaseUrl = await pg.createDatabase('overload_retry');
  // Concurrency 1 and no queue: one held generation makes a replica full.
  for (let i = 0; i < 2; i++)
    replicas.push(
      await startStandInServer({ concurrency: 1, maxQueue: 0 }, { databaseUrl, imageStore: 'database' }),
    );
  const [a, b] = replicas.map((r) => new URL(r.url).host) as [string, string];
  haproxy = await startHaproxy(resolve(REPO, 'deploy/haproxy/haproxy.cfg'), { BLIP_API1: a, BLIP_API2: b });
  imageId = (await replicas[0]?.upload(fixture('grey-96x64.png')))?.data?.uploadImage.id as string;
  assert.ok(imageId);
});
after(async () => {
  await haproxy?.stop();
  for (const r of replicas) await r.close();
  await pg?.stop();
});

const ASK = 'mutation ($i: ID!, $q: String!) { answer(imageId: $i, question: $q) { text } }';
/** Affinity keys (fixed, so HAProxy's consistent hash sends some to each replica). */
const KEYS = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'];

async function askThroughProxy(key: string, q: string) {
  const res = await fetch(`${haproxy.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-owner-key': OWNER, 'x-blip-affinity': key },
    body: JSON.stringify({ query: ASK, variables: { i: imageId, q } }),
  });
  const body = (await res.json()) as {
    data?: { answer: { text: string } };
    errors?: { extensions?: { code?: string } }[];
  };
  return { res, body };
}

const overloaded = async (r: Replica) =>
  Number(/blip_overloaded_total (\d+)/.exec(await r.metrics())?.[1] ?? 0);

test('one replica full: every request is answered, those it refused by the other replica', async () => {
  const [full] = replicas as [Replica, Replica];
  const held = full.engine.hold();
  const first = full.gql(ASK, { i: imageId, q: 'held?' });
  await held.started;
  const refusedBefore = await overloaded(full);
  for (const key of KEYS) {
    const { res, body } = await askThroughProxy(key, `key ${key}?`);
    assert.equal(res.status, 200, `${key}: ${JSON.stringify(body.errors)}`);
    assert.equal(body.data?.answer.text, 'a stand-in answer');
  }
  const refused = (await overloaded(full)) - refusedBefore;
  assert.ok(refused >= 1, 'some keys hash to the full replica, which refused them before they were retried');
  held.release();
  await first;
});

test('both replicas full: the client gets the contract — 429, OVERLOADED, Retry-After, no internal marker', async () => {
  const holds = replicas.map((r) => ({ r, held: r.engine.hold() }));
  const running = holds.map(({ r }) => r.gql(ASK, { i: imageId, q: 'held?' }));
  for (const { held } of holds) await held.started;
  const before = await Promise.all(replicas.map(overloaded));
  const { res, body } = await askThroughProxy('k1', 'nobody free?');
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get('retry-after')) > 0);
  assert.equal(res.headers.get('x-blip-code'), null);
  assert.equal(body.errors?.[0]?.extensions?.code, 'OVERLOADED');
  const after = await Promise.all(replicas.map(overloaded));
  assert.deepEqual(
    after.map((n, i) => n - (before[i] ?? 0)),
    [1, 1],
    'tried once on each replica, not more',
  );
  for (const { held } of holds) held.release();
  await Promise.all(running);
});
