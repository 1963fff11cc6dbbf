// The whole server: database, image store, the engine, GraphQL over HTTP/SSE and WebSocket, ops routes, shutdown.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Engine, type EngineOptions, loadEngine } from '@blip/engine';
import { openSharedState, type SharedState } from './cluster/shared-state.js';
import type { ClusterSignals } from './cluster/signals.js';
import type { Config } from './config.js';
import type { Services } from './context.js';
import { TurnRunner } from './generation/runner.js';
import { ImageFiles } from './images/files.js';
import { ImageService } from './images/service.js';
import { UploadVectors } from './images/vectors.js';
import { createLogger, type Logger } from './log.js';
import { ModelCatalog } from './models/catalog.js';
import { Metrics } from './ops/metrics.js';
import { handleRoute, securityHeaders, serveMetrics } from './ops/routes.js';
import { DatabaseImageBytes } from './store/image-bytes.js';
import type { Store } from './store/index.js';
import { attachWebSocket } from './ws.js';
import { type BlipYoga, buildYoga } from './yoga.js';

/** A running server. */
export interface App {
  /** Base URL, e.g. http://127.0.0.1:4000 */
  url: string;
  /** Base URL of the metrics port, when METRICS_PORT is set. */
  metricsUrl: string | null;
  services: Services;
  /** Turns found PENDING at start-up (left by a crash) and marked INTERRUPTED. */
  interruptedAtStart: number;
  /** Stops accepting, lets in-flight turns finish for up to shutdownGraceMs, interrupts the rest, closes the DB. */
  close(): Promise<void>;
}

/** The engine's settings from the API's: every limit the engine enforces is an API setting passed through here. */
export function engineOptions(config: Config): EngineOptions {
  return {
    models: config.models,
    maxGenerationsPerCall: config.maxGenerationsPerCaller,
    inferencePrecision: config.inferencePrecision,
    performanceHint: config.performanceHint,
    // 0 leaves the choice to OpenVINO (the hint decides streams; all cores get threads).
    ...(config.numStreams > 0 ? { numStreams: config.numStreams } : {}),
    ...(config.numThreads > 0 ? { numThreads: config.numThreads } : {}),
    ...(config.serialInference === 'auto' ? {} : { serialInference: config.serialInference === 'true' }),
    ...(config.dynamicQuantizationGroupSize === 'auto'
      ? {}
      : { dynamicQuantizationGroupSize: config.dynamicQuantizationGroupSize }),
    concurrency: config.concurrency,
    batching: config.batching,
    maxQueue: config.maxQueue,
    imageCacheSize: config.imageCacheSize,
    preparedCacheSize: config.preparedCacheSize,
    limits: {
      maxInputBytes: config.maxUploadBytes,
      maxPixels: config.maxPixels,
      maxDimension: config.maxDimension,
      maxQuestionChars: config.maxQuestionChars,
      maxQuestionTokens: config.maxQuestionTokens,
      maxConcurrentDecodes: config.maxConcurrentDecodes,
      decodeMemoryBytes: config.decodeMemoryBytes,
    },
  };
}

/** What startApp may be given besides the settings. */
export interface StartOptions {
  /** Told the URL as soon as the server listens (before the engine has loaded). */
  onListening?: (url: string) => void;
  /** Makes the engine instead of loadEngine(engineOptions(config)): tests pass the stand-in
   * (@blip/engine/testing) here. The server disposes of it on close. */
  engine?: (config: Config) => Promise<Engine>;
  /** The root logger; default pino on stdout at LOG_LEVEL (tests pass one that writes where they read). */
  log?: Logger;
}

/** Mutable server state: services and yoga appear once the models are loaded. */
interface State {
  closing: boolean;
  services?: Services;
  yoga?: BlipYoga;
}

/** Opens the store, listens (so /health and /ready answer while loading), loads and warms up the engine. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<App> {
  const log = options.log ?? createLogger(config.logLevel);
  const shared = await openSharedState(config, log);
  const { store, signals, interruptedAtStart } = shared;
  let server: Server;
  const state: State = { closing: false };
  try {
    server = await listen(config, state);
  } catch (err) {
    await shared.close();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  options.onListening?.(url);
  let engine: Engine;
  try {
    engine = await (options.engine ?? ((c: Config) => loadEngine(engineOptions(c))))(config);
  } catch (err) {
    server.close();
    await shared.close();
    throw err;
  }
  const services = makeServices(config, store, engine, log, signals);
  const stopListening = listenForStops(services);
  shared.leases.track(() => services.runner.runningIds());
  const yoga = buildYoga(services);
  const sockets = attachWebSocket(server, yoga, config);
  const metrics = await metricsServer(config, services);
  const closeSockets = async () => {
    await sockets();
    if (metrics) await new Promise<void>((resolve) => metrics.close(() => resolve()));
  };
  const metricsPort = (metrics?.address() as AddressInfo | undefined)?.port;
  Object.assign(state, { services, yoga });
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= shutdown(server, closeSockets, services, state, shared, stopListening);
    return closed;
  };
  const metricsUrl = metricsPort === undefined ? null : url.replace(/:\d+$/, `:${metricsPort}`);
  return { url, metricsUrl, services, interruptedAtStart, close };
}

function makeServices(
  config: Config,
  store: Store,
  engine: Engine,
  log: Logger,
  signals: ClusterSignals,
): Services {
  const models = new ModelCatalog(engine.models());
  const metrics = new Metrics(engine);
  const { images: imageRepo, conversations, turns } = store;
  const bytes =
    config.imageStore === 'database'
      ? new DatabaseImageBytes(store.db)
      : new ImageFiles(join(config.dataDir, 'images'));
  const vectors = new UploadVectors(engine, store.features, bytes, metrics, config.searchVectorsAtUpload);
  const images = new ImageService(config, imageRepo, conversations, bytes, engine, metrics, vectors);
  const runner = new TurnRunner({
    config,
    engine,
    models,
    images,
    imageRepo,
    conversations,
    turns,
    metrics,
    signals,
  });
  return {
    config,
    engine,
    models,
    store,
    images,
    imageRepo,
    conversations,
    turns,
    runner,
    metrics,
    log,
    signals,
  };
}

/** Stop requests from other replicas (cancelTurn there) abort the turn here if it runs here. Returns the unsubscribe. */
function listenForStops(services: Services): () => void {
  const requests = services.signals.pubsub.subscribe('cancel');
  void (async () => {
    for await (const { turnId } of requests) {
      const tokens = services.runner.abortLocal(turnId);
      if (tokens !== undefined)
        services.log.info({ event: 'turn_stop_signal', turnId, tokens }, 'stop request from another replica');
    }
  })();
  return () => void requests.return();
}

/** A low-cardinality label for a request path. */
function routeOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  if (path.startsWith('/images/')) return '/images';
  return ['/graphql', '/health', '/ready', '/metrics'].includes(path) ? path : 'other';
}

const unavailable = (res: ServerResponse, config: Config, code: string, message: string) => {
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': String(config.retryAfterSeconds) });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
};

async function listen(config: Config, state: State): Promise<Server> {
  const health = {
    ready: () => state.yoga !== undefined,
    closing: () => state.closing,
    services: () => state.services,
  };
  // Slow-header and slow-body guards: a client that trickles its request is cut off (408) in bounded time;
  // connections are checked often enough for the limits to hold (Node's default is every 30 s).
  const serverOptions = {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs / 2),
  };
  const server: Server = createServer(serverOptions, (req, res) => {
    res.once('finish', () =>
      state.services?.metrics.httpRequests.inc({ route: routeOf(req.url), status: res.statusCode }),
    );
    securityHeaders(res);
    if (handleRoute(req, res, health)) return;
    if (state.closing) return unavailable(res, config, 'SHUTTING_DOWN', 'the server is shutting down');
    if (!state.yoga) return unavailable(res, config, 'NOT_READY', 'the models are still loading');
    void state.yoga(req, res);
  });
  await listenOn(server, config.port, config.host);
  return server;
}

function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

/** `/metrics` alone, without a token, on METRICS_PORT (for a scraper on a private network). */
async function metricsServer(config: Config, services: Services): Promise<Server | undefined> {
  if (config.metricsPort === null) return undefined;
  const server = createServer((req, res) => {
    securityHeaders(res);
    if ((req.url ?? '/').split('?')[0] === '/metrics') serveMetrics(res, services);
    else res.writeHead(404).end();
  });
  await listenOn(server, config.metricsPort, config.host);
  return server;
}

async function shutdown(
  server: Server,
  closeSockets: () => Promise<void>,
  services: Services,
  state: { closing: boolean },
  shared: SharedState,
  stopListening: () => void,
): Promise<void> {
  state.closing = true;
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = Date.now() + services.config.shutdownGraceMs;
  while (services.runner.inFlight() > 0 && Date.now() < deadline) await sleep(20);
  await services.runner.shutdown();
  await closeSockets();
  server.closeAllConnections();
  await stopped;
  stopListening();
  await services.engine.dispose();
  await shared.close();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
