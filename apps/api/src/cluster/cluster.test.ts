// Two API servers on one PostgreSQL and one Redis, as two replicas: Stop sent to one reaches the turn running on
// the other, and a subscription on one follows a turn running on the other. Real PostgreSQL and Redis; the
// engines are stand-ins whose generations the test holds, so nothing here depends on speed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPostgres, startRedis, type TestPostgres, type TestRedis } from '@blip/testing';
import { Redis } from 'ioredis';
import { fixture, type GqlResult, startStandInServer } from '../testing/harness.js';

type Server = Awaited<ReturnType<typeof startStandInServer>>;
let pg: TestPostgres;
let redis: TestRedis;
let a: Server;
let b: Server;
let imageId: string;

before(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const databaseUrl = await pg.createDatabase('cluster');
  const shared = { databaseUrl, redisUrl: redis.url, imageStore: 'database' as const };
  a = await startStandInServer({}, shared);
  b = await startStandInServer({}, shared);
  imageId = (await a.upload(fixture('grey-96x64.png'))).data?.uploadImage.id as string;
});
after(async () => {
  await a?.close();
  await b?.close();
  await Promise.all([pg?.stop(), redis?.stop()]);
});

const ASK = `subscription ($i: ID!) { answerStream(imageId: $i, question: "what is there?") {
  __typename ... on StreamStarted { turn { id } } ... on StreamToken { delta } } }`;
const FOLLOW = `subscription ($t: ID!) { turnStream(id: $t) {
  __typename ... on StreamToken { delta } ... on StreamCompleted { turn { id status answer } } } }`;
const CANCEL = 'mutation ($t: ID!) { cancelTurn(id: $t) { status answer } }';

type Event = { __typename: string; turn?: { id: string; status?: string; answer?: string }; delta?: string };
const eventOf = (r: GqlResult, field: string) => (r.data as Record<string, Event> | undefined)?.[field];

/** Starts an answer on A whose generation the test holds; returns its stream (read by hand: leaving a
 * for-await loop would close it, and the server would cancel the turn) and the turn id. */
async function heldTurn() {
  const held = a.engine.hold();
  const stream = a.sse(ASK, { i: imageId });
  const first = await stream.next();
  const turnId = eventOf(first.value as GqlResult, 'answerStream')?.turn?.id;
  assert.ok(turnId, JSON.stringify(first.value));
  await held.started;
  return { held, stream, turnId };
}

/** Waits until someone (the other replica) subscribed to the turn's Redis channel. */
async function subscribed(turnId: string): Promise<void> {
  const client = new Redis({ path: redis.url.slice('unix://'.length) });
  try {
    for (;;) {
      const [, count] = (await client.pubsub('NUMSUB', `turn:${turnId}`)) as [string, number];
      if (count > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    client.disconnect();
  }
}

test('cancelTurn sent to one replica stops the turn held on the other', async () => {
  const { held, stream, turnId } = await heldTurn();
  held.emit('one');
  for (;;) if (eventOf((await stream.next()).value as GqlResult, 'answerStream')?.delta) break;
  const cancelled = await b.gql<{ cancelTurn: { status: string; answer: string } }>(CANCEL, { t: turnId });
  assert.deepEqual(
    cancelled.data?.cancelTurn,
    { status: 'CANCELLED', answer: 'one' },
    JSON.stringify(cancelled),
  );
  const rest: GqlResult[] = [];
  for await (const r of stream) rest.push(r);
  assert.equal(rest.at(-1)?.errors?.[0]?.extensions?.code, 'CANCELLED');
});

test('turnStream on one replica follows a turn running on the other to its answer', async () => {
  const { held, stream, turnId } = await heldTurn();
  const followed: Event[] = [];
  const follow = (async () => {
    for await (const r of b.sse(FOLLOW, { t: turnId })) {
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      followed.push(eventOf(r, 'turnStream') as Event);
    }
  })();
  await subscribed(turnId);
  held.emit('two', 'red', 'circles');
  held.release();
  for await (const _ of stream) {
    // A's own caller reads its stream to the end
  }
  await follow;
  assert.deepEqual(
    followed.map((e) => e.__typename),
    ['StreamToken', 'StreamToken', 'StreamToken', 'StreamCompleted'],
  );
  const last = followed.at(-1)?.turn;
  assert.deepEqual([last?.id, last?.status], [turnId, 'COMPLETED']);
  assert.equal(
    followed
      .slice(0, 3)
      .map((e) => e.delta)
      .join(''),
    last?.answer,
  );
});

test('turnStream of an ended turn gives its ending at once; of someone else’s turn NOT_FOUND', async () => {
  const { held, stream, turnId } = await heldTurn();
  held.emit('three');
  await b.gql(CANCEL, { t: turnId });
  for await (const _ of stream) {
    // drain to the CANCELLED error
  }
  const ended: GqlResult[] = [];
  for await (const r of b.sse(FOLLOW, { t: turnId })) ended.push(r);
  assert.equal(ended.at(-1)?.errors?.[0]?.extensions?.code, 'CANCELLED');
  const other: GqlResult[] = [];
  for await (const r of b.sse(FOLLOW, { t: turnId }, { ownerKey: 'someone-else-key-0000000' })) other.push(r);
  assert.equal(other.at(-1)?.errors?.[0]?.extensions?.code, 'NOT_FOUND');
});
