// The whole multi-machine set-up on this one: a real PostgreSQL and Redis, N API replicas (separate processes on
// port 0, each reporting its address) and HAProxy with deploy/haproxy/haproxy.cfg in front, as e2e/scale and its
// benchmark use it. Everything lives in temp folders and is torn down at the end.
import { resolve } from 'node:path';
import {
  type ApiProcess,
  REPO,
  startApi,
  startHaproxy,
  startPostgres,
  startRedis,
  type TestHaproxy,
  type TestPostgres,
  type TestRedis,
} from '@blip/testing';
import pg from 'pg';

/** Settings every replica gets (the lease is short so the kill test sees it expire soon). */
export const LEASE = { leaseMs: 3000, renewMs: 500 };

export interface Cluster {
  pg: TestPostgres;
  redis: TestRedis;
  haproxy: TestHaproxy;
  /** replicas[i] is HAProxy's server `api${i + 1}` (both slots point at one replica when there is one). */
  replicas: ApiProcess[];
  db: pg.Pool;
  /** The GraphQL endpoint through HAProxy. */
  graphql: string;
  /** Starts replica i again (after a kill) and points HAProxy's slot at its new port. */
  restart(i: number): Promise<ApiProcess>;
  stop(): Promise<void>;
}

export async function startCluster(count: 1 | 2, env: Record<string, string> = {}): Promise<Cluster> {
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const databaseUrl = await postgres.createDatabase('scale');
  const replicaEnv = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    IMAGE_STORE: 'database',
    TURN_LEASE_MS: String(LEASE.leaseMs),
    TURN_LEASE_RENEW_MS: String(LEASE.renewMs),
    BLIP_MAX_QUEUE: '64',
    BLIP_IMAGE_CACHE_SIZE: '64',
    ...env,
  };
  // One at a time: the first runs the migrations, and the machine is small.
  const replicas: ApiProcess[] = [];
  for (let i = 0; i < count; i++) replicas.push(await startApi({ env: replicaEnv }));
  const address = (r: ApiProcess) => new URL(r.url).host;
  const haproxy = await startHaproxy(resolve(REPO, 'deploy/haproxy/haproxy.cfg'), {
    BLIP_API1: address(replicas[0] as ApiProcess),
    BLIP_API2: address((replicas[1] ?? replicas[0]) as ApiProcess),
  });
  await serversUp(haproxy, ['api1', 'api2']);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  return {
    pg: postgres,
    redis,
    haproxy,
    replicas,
    db,
    graphql: `${haproxy.url}/graphql`,
    async restart(i) {
      const replica = await startApi({ env: replicaEnv });
      replicas[i] = replica;
      const [host, port] = address(replica).split(':');
      for (const backend of ['fresh', 'sticky'])
        await haproxy.command(`set server ${backend}/api${i + 1} addr ${host} port ${port}`);
      await serversUp(haproxy, [`api${i + 1}`]);
      return replica;
    },
    async stop() {
      await db.end();
      await haproxy.stop();
      for (const r of replicas) await r.stop('SIGTERM');
      await Promise.all([postgres.stop(), redis.stop()]);
    },
  };
}

/** Waits until HAProxy's health checks (GET /ready) have these servers of `fresh` UP. */
export async function serversUp(haproxy: TestHaproxy, names: string[]): Promise<void> {
  for (;;) {
    // Columns: be_id be_name srv_id srv_name srv_addr srv_op_state …; op_state 2 = running.
    const state = await haproxy.command('show servers state fresh');
    const up = state
      .split('\n')
      .map((line) => line.split(' '))
      .filter((cols) => cols[1] === 'fresh' && cols[5] === '2')
      .map((cols) => cols[3]);
    if (names.every((n) => up.includes(n))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The HAProxy server (api1, api2) that served each logged request, in order. */
export function servedBy(haproxy: TestHaproxy, from = 0): string[] {
  return haproxy.log
    .slice(from)
    .map((line) => /(?:fresh|sticky)\/(api\d)/.exec(line)?.[1])
    .filter((s): s is string => s !== undefined);
}

/** Which replica process holds (or held) a turn: its lease owner is host:pid:random. */
export async function runnerOf(cluster: Cluster, turnId: string): Promise<number> {
  const { rows } = await cluster.db.query<{ lease_owner: string }>(
    'SELECT lease_owner FROM turns WHERE id = $1',
    [turnId],
  );
  const pid = Number(rows[0]?.lease_owner.split(':')[1]);
  const index = cluster.replicas.findIndex((r) => r.pid === pid);
  if (index < 0) throw new Error(`turn ${turnId} is held by ${rows[0]?.lease_owner}, no replica of ours`);
  return index;
}
