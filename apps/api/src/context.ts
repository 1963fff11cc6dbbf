// What every resolver gets: who is calling, the services, and a signal that fires when the caller goes away.
import type { Engine, Reservation } from '@blip/engine';
import type { ClusterSignals } from './cluster/signals.js';
import type { Config } from './config.js';
import type { TurnRunner } from './generation/runner.js';
import type { ImageService } from './images/service.js';
import type { Logger } from './log.js';
import type { ModelCatalog } from './models/catalog.js';
import type { Metrics } from './ops/metrics.js';
import type { ConversationRepo } from './store/conversations.js';
import type { ImageRepo } from './store/images.js';
import type { Store } from './store/index.js';
import type { TurnRepo } from './store/turns.js';

/** The long-lived parts of the server, made once at start-up. */
export interface Services {
  config: Config;
  /** Images, questions, options, admission and generation: everything the API does not decide itself. */
  engine: Engine;
  models: ModelCatalog;
  /** SQLite or PostgreSQL; imageRepo, conversations and turns are its parts. */
  store: Store;
  images: ImageService;
  imageRepo: ImageRepo;
  conversations: ConversationRepo;
  turns: TurnRepo;
  runner: TurnRunner;
  metrics: Metrics;
  /** The server's root logger; requests log through children that carry their requestId. */
  log: Logger;
  /** Events and stop requests between replicas (Redis when REDIS_URL is set). */
  signals: ClusterSignals;
}

/** Per-request GraphQL context. */
export interface Context {
  /** Hashed owner key of the caller (bearer token or anonymous browser key). */
  owner: string;
  services: Services;
  /** Aborts when the HTTP request or WebSocket subscription ends. */
  signal: AbortSignal;
  /** This request's (or WebSocket operation's) logger: its lines carry `requestId`. */
  log: Logger;
  /** Room the engine reserved for the operation's generations (mutations that select caption/answer). */
  reservation?: Reservation;
}
