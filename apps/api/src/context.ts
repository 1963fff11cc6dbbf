// What every resolver gets: who is calling, the services, and a signal that fires when the caller goes away.
import type { Config } from './config.js';
import type { TurnRunner } from './generation/runner.js';
import type { ImageService } from './images/service.js';
import type { ModelRegistry } from './models/registry.js';
import type { Metrics } from './ops/metrics.js';
import type { ConversationRepo } from './store/conversations.js';
import type { ImageRepo } from './store/images.js';
import type { Store } from './store/index.js';
import type { TurnRepo } from './store/turns.js';

/** The long-lived parts of the server, made once at start-up. */
export interface Services {
  config: Config;
  models: ModelRegistry;
  /** SQLite or PostgreSQL; imageRepo, conversations and turns are its parts. */
  store: Store;
  images: ImageService;
  imageRepo: ImageRepo;
  conversations: ConversationRepo;
  turns: TurnRepo;
  runner: TurnRunner;
  metrics: Metrics;
}

/** Per-request GraphQL context. */
export interface Context {
  /** Hashed owner key of the caller (bearer token or anonymous browser key). */
  owner: string;
  services: Services;
  /** Aborts when the HTTP request or WebSocket subscription ends. */
  signal: AbortSignal;
}
