// What replicas tell each other: a running turn's events (so a subscriber on any replica can follow it) and
// "stop this turn" (so Stop reaches whichever replica runs it). One graphql-yoga PubSub carries both: in memory
// for one process, through Redis (@graphql-yoga/redis-event-target over ioredis) when REDIS_URL is set.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';

/** An event of a turn as a follower receives it: the runner's stream payloads, then `ended` when it stopped
 * without a completed answer (cancelled, interrupted, failed). Plain JSON either way. */
export type TurnSignal = { kind: string } & Record<string, unknown>;

/** Topics: `turn:<id>` carries that turn's events; `cancel` asks whoever runs a turn to stop it. */
export type Topics = {
  turn: [turnId: string, signal: TurnSignal];
  cancel: [{ turnId: string }];
};

/** The channel between replicas. */
export interface ClusterSignals {
  pubsub: PubSub<Topics>;
  /** True when the signals cross processes (Redis); false when they stay in this process. */
  shared: boolean;
  close(): Promise<void>;
}

/** ioredis options for a redis://, rediss:// or unix:///path/to/socket URL. */
function connection(url: string): Redis {
  const options = { lazyConnect: true, maxRetriesPerRequest: 3 };
  if (url.startsWith('unix://')) return new Redis({ ...options, path: url.slice('unix://'.length) });
  return new Redis(url, options);
}

/** In-process signals, or Redis ones when `redisUrl` is set (connected before this returns, or it throws). */
export async function openSignals(redisUrl: string): Promise<ClusterSignals> {
  if (!redisUrl) return { pubsub: createPubSub<Topics>(), shared: false, close: async () => {} };
  const publishClient = connection(redisUrl);
  const subscribeClient = connection(redisUrl);
  // A client that loses Redis reconnects by itself; until then events are lost (followers re-read the store).
  for (const client of [publishClient, subscribeClient]) client.on('error', () => {});
  try {
    await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  } catch (err) {
    publishClient.disconnect();
    subscribeClient.disconnect();
    throw Object.assign(new Error(`REDIS_URL: cannot connect (${String(err)})`), {
      code: 'REDIS_UNREACHABLE',
    });
  }
  const eventTarget = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  return {
    pubsub: createPubSub<Topics>({ eventTarget: eventTarget as never }),
    shared: true,
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}
