// Two API replicas on one PostgreSQL and one Redis behind HAProxy (deploy/haproxy/haproxy.cfg), all real
// processes: many clients with follow-ups, Stop reaching the other replica, kill -9 of a replica mid-stream and
// its restart. Figures are printed (`[scale]` lines), never asserted; the assertions are about what is stored.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import {
  type Answered,
  cancel,
  caption,
  conversationCount,
  drain,
  followUp,
  longAnswer,
  ownerKey,
  turnIds,
  upload,
} from './clients.js';
import { type Cluster, LEASE, runnerOf, servedBy, startCluster } from './cluster.js';

let cluster: Cluster;
/** Every turn a client got back (acknowledged), by conversation. */
const acknowledged = new Map<string, { owner: string; turns: string[] }>();
/** Stops (SIGSTOP) or resumes (SIGCONT) every replica process. */
const freeze = (signal: 'SIGSTOP' | 'SIGCONT') => {
  for (const r of cluster.replicas) process.kill(-r.pid, signal);
};
const figure = (name: string, value: unknown) => console.log(`[scale] ${name}: ${JSON.stringify(value)}`);

before(async () => {
  cluster = await startCluster(2);
});
after(async () => {
  await cluster?.stop();
});

const CLIENTS = 10;
const CONVERSATIONS_PER_CLIENT = 5;
const QUESTIONS = ['how many circles are there?', 'what colour is the square?'];

/** One client: its conversations one after another, each a caption and two follow-up questions. */
async function client(c: number): Promise<Answered[]> {
  const owner = ownerKey(c);
  const followUps: Answered[] = [];
  for (let k = 0; k < CONVERSATIONS_PER_CLIENT; k++) {
    const imageId = await upload(cluster.graphql, owner, c * CONVERSATIONS_PER_CLIENT + k);
    const first = await caption(cluster.graphql, owner, imageId);
    const turns = [first.turnId];
    for (const q of QUESTIONS) {
      const next = await followUp(cluster.graphql, owner, imageId, first.conversationId, q);
      assert.equal(next.conversationId, first.conversationId);
      turns.push(next.turnId);
      followUps.push(next);
    }
    acknowledged.set(first.conversationId, { owner, turns });
  }
  return followUps;
}

test('10 clients × 5 conversations with follow-ups: every turn stored once, visible from both replicas', async () => {
  const logFrom = cluster.haproxy.log.length;
  const followUps = (await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)))).flat();
  assert.equal(acknowledged.size, CLIENTS * CONVERSATIONS_PER_CLIENT);
  for (const replica of cluster.replicas) {
    for (const [conversationId, { owner, turns }] of acknowledged)
      assert.deepEqual(await turnIds(replica.graphql, owner, conversationId), turns, `on ${replica.url}`);
    for (let c = 0; c < CLIENTS; c++)
      assert.equal(await conversationCount(replica.graphql, ownerKey(c)), CONVERSATIONS_PER_CLIENT);
  }
  const { rows } = await cluster.db.query<{ n: string; distinct_ids: string }>(
    "SELECT count(*) AS n, count(DISTINCT id) AS distinct_ids FROM turns WHERE status = 'COMPLETED'",
  );
  assert.deepEqual([Number(rows[0]?.n), Number(rows[0]?.distinct_ids)], [150, 150]);
  // HAProxy keeps a conversation's questions on the replica that read its image, so its embedding is cached.
  const warm = followUps.filter((f) => f.imageCacheHit).length;
  figure('follow-ups served from a warm image cache', `${warm}/${followUps.length}`);
  const served = servedBy(cluster.haproxy, logFrom);
  figure('requests per replica', {
    api1: served.filter((s) => s === 'api1').length,
    api2: served.filter((s) => s === 'api2').length,
  });
  assert.equal(
    warm,
    followUps.length,
    'a follow-up missed the cache: it went to another replica than its caption',
  );
  assert.ok(served.includes('api1') && served.includes('api2'), 'one replica did all the work');
});

test('Stop sent to the other replica cancels the generation within one decoder step', async () => {
  const owner = ownerKey(90);
  const imageId = await upload(cluster.graphql, owner, 900);
  const watcher = new Redis({ path: cluster.redis.url.slice('unix://'.length) });
  await watcher.subscribe('cancel');
  const published = new Promise<void>((resolve) => watcher.on('message', () => resolve()));
  // Both replicas freeze at the first token, so the answer cannot finish before Stop reaches it.
  const { turnId, stream } = await longAnswer(cluster.graphql, owner, imageId, 100);
  freeze('SIGSTOP');
  const runner = cluster.replicas[await runnerOf(cluster, turnId)];
  const other = cluster.replicas.find((r) => r !== runner);
  assert.ok(runner && other);
  process.kill(-other.pid, 'SIGCONT');
  const stopped = cancel(other.graphql, owner, turnId);
  await published;
  process.kill(-runner.pid, 'SIGCONT');
  assert.equal(await stopped, 'CANCELLED');
  watcher.disconnect();
  await drain(stream);
  const signal = runner.log
    .filter((l) => l.includes('"event":"turn_stop_signal"'))
    .map((l) => JSON.parse(l) as { turnId: string; tokens: number })
    .find((e) => e.turnId === turnId);
  assert.ok(signal, 'the runner never received the stop request');
  const { rows } = await cluster.db.query<{ token_ids: string }>(
    'SELECT token_ids FROM turns WHERE id = $1',
    [turnId],
  );
  const stored = (JSON.parse(rows[0]?.token_ids ?? '[]') as number[]).length;
  figure('tokens when Stop arrived → tokens stored', `${signal.tokens} → ${stored}`);
  assert.ok(stored - signal.tokens <= 1, `${stored - signal.tokens} decoder steps ran after Stop arrived`);
});

test('kill -9 of a replica mid-stream: nothing acknowledged lost, its turn INTERRUPTED once its lease expired, the other serves', async () => {
  const owner = ownerKey(91);
  const imageId = await upload(cluster.graphql, owner, 910);
  // Both replicas freeze as soon as the stream has its turn; the runner is killed frozen, mid-answer. A 16-beam
  // answer, because a greedy one of this small model is over in tens of ms: frozen at its first token, it could
  // finish first on an idle machine.
  const { turnId, stream } = await longAnswer(cluster.graphql, owner, imageId, 100, false, {
    strategy: 'BEAM',
    numBeams: 16,
  });
  freeze('SIGSTOP');
  const victim = await runnerOf(cluster, turnId);
  const survivor = cluster.replicas[1 - victim];
  assert.ok(survivor);
  await cluster.replicas[victim]?.stop('SIGKILL');
  const killedAt = Date.now();
  process.kill(-survivor.pid, 'SIGCONT');
  await drain(stream);

  // New work right away (before a health check noticed): HAProxy retries on the other replica.
  const logFrom = cluster.haproxy.log.length;
  for (let seed = 911; seed < 916; seed++) {
    const id = seed === 911 ? imageId : await upload(cluster.graphql, owner, seed);
    await caption(cluster.graphql, owner, id);
  }
  const served = new Set(servedBy(cluster.haproxy, logFrom));
  assert.deepEqual([...served], [`api${2 - victim}`]);

  // The survivor's lease beat marks the turn INTERRUPTED, and only after the lease ran out.
  let row: { status: string; lease_until: string; completed_at: string | null } | undefined;
  for (;;) {
    row = (
      await cluster.db.query('SELECT status, lease_until, completed_at FROM turns WHERE id = $1', [turnId])
    ).rows[0];
    if (row?.status !== 'PENDING') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  figure(
    'kill -9 → INTERRUPTED',
    `${Date.now() - killedAt} ms (lease ${LEASE.leaseMs} ms, renewed every ${LEASE.renewMs} ms)`,
  );
  assert.equal(row?.status, 'INTERRUPTED');
  assert.ok((row?.completed_at ?? '') >= (row?.lease_until ?? ''), 'interrupted before its lease expired');
  assert.ok(survivor.log.some((l) => l.includes('"turns_interrupted"') && l.includes(turnId)));
  for (const [conversationId, { owner: o, turns }] of acknowledged)
    assert.deepEqual(await turnIds(survivor.graphql, o, conversationId), turns);
});

test('the killed replica restarts without touching the other replica’s turns', async () => {
  const owner = ownerKey(92);
  const imageId = await upload(cluster.graphql, owner, 920);
  const down = cluster.replicas.findIndex((r) => r.child.exitCode !== null || r.child.signalCode !== null);
  const survivor = cluster.replicas[1 - down];
  assert.ok(down >= 0 && survivor);
  // Work queued on the survivor (one generation at a time): PENDING turns with live leases while the other starts.
  const queued = await Promise.all(
    Array.from({ length: 6 }, () => longAnswer(survivor.graphql, owner, imageId, 60, false)),
  );
  const before = await cluster.db.query<{ n: string }>(
    "SELECT count(*) AS n FROM turns WHERE status = 'PENDING'",
  );
  const restarted = await cluster.restart(down);
  figure('survivor turns PENDING when the other restarted', Number(before.rows[0]?.n));
  assert.equal(restarted.listening.interruptedAtStart, 0);
  for (const q of queued) await drain(q.stream);
  const ids = queued.map((q) => q.turnId);
  const { rows } = await cluster.db.query<{ status: string }>('SELECT status FROM turns WHERE id = ANY($1)', [
    ids,
  ]);
  assert.deepEqual(new Set(rows.map((r) => r.status)), new Set(['COMPLETED']));
  await caption(restarted.graphql, owner, imageId); // and it serves
});
