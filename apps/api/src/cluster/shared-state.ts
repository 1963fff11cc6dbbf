// Everything a replica shares with the others, opened before it listens and closed after it stops: the store
// (SQLite or PostgreSQL), the signals between replicas (in-process or Redis), and the beat that renews this
// process's turn leases and interrupts turns whose replica died.
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { openStore, replicaId, type Store } from '../store/index.js';
import { TurnLeases } from '../store/leases.js';
import { type ClusterSignals, openSignals } from './signals.js';
import { announceInterrupted } from './turns.js';

/** The shared parts, open and beating. */
export interface SharedState {
  store: Store;
  signals: ClusterSignals;
  leases: TurnLeases;
  /** Turns found PENDING at start-up whose replica is gone, now INTERRUPTED. */
  interruptedAtStart: number;
  close(): Promise<void>;
}

/** Opens the store and the signals, recovers turns left by dead replicas, and starts the lease beat. */
export async function openSharedState(config: Config, log: Logger): Promise<SharedState> {
  const where = {
    databaseUrl: config.databaseUrl,
    sqlitePath: join(config.dataDir, 'blip.sqlite'),
    poolSize: config.databasePoolSize,
  };
  const store = await openStore(where, { owner: replicaId(), ms: config.turnLeaseMs });
  let signals: ClusterSignals | undefined;
  const leases = new TurnLeases(
    store.turns,
    { leaseMs: config.turnLeaseMs, renewMs: config.turnLeaseRenewMs },
    (beat) => {
      if (beat.interrupted.length === 0) return;
      log.warn({ event: 'turns_interrupted', turns: beat.interrupted }, 'lease expired: turns interrupted');
      if (signals)
        announceInterrupted(
          signals,
          beat.interrupted.map((t) => t.id),
        );
    },
    (err) => log.error({ event: 'lease_renewal_failed', err }, 'lease beat failed'),
  );
  try {
    signals = await openSignals(config.redisUrl);
    const interruptedAtStart = await leases.recover(store.dialect);
    leases.start();
    const open = signals;
    const close = async () => {
      await leases.stop();
      await open.close();
      await store.close();
    };
    return { store, signals, leases, interruptedAtStart, close };
  } catch (err) {
    await leases.stop();
    await signals?.close();
    await store.close();
    throw err;
  }
}
