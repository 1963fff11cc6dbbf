// Test support: a real server on 127.0.0.1 port 0 with a fresh data directory, and small real clients
// (JSON over fetch, multipart upload, and the shared SSE reader of @blip/testing). No part of the server is faked;
// tests that are not about the engine give it the stand-in engine (@blip/engine/testing), whose generations the
// test holds and releases, instead of loading tiny-vqa.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Engine } from '@blip/engine';
import { StandInEngine, type StandInOptions } from '@blip/engine/testing';
import { type GqlResult, readSse, tempDir, uploadForm } from '@blip/testing';
import { type App, startApp } from '../app.js';
import { type Config, loadConfig, REPO_ROOT } from '../config.js';

export { type GqlResult, readSse, uploadForm };

/** The metrics token test servers use (/metrics is not public). */
export const METRICS_TOKEN = 'test-metrics-token';

/** The tiny random-init test model: real tokens, nonsense answers, fast. */
export const TINY_MODEL = resolve(REPO_ROOT, 'models/tiny-vqa');
/** A bundled fixture image's bytes. */
export const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(resolve(REPO_ROOT, 'models/fixtures/images', name)));

/** Per-request caller identity. */
export interface As {
  ownerKey?: string;
  headers?: Record<string, string>;
}

/** A running test server and clients bound to it. */
export interface TestServer {
  app: App;
  url: string;
  config: Config;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: As,
  ): Promise<GqlResult<T>>;
  upload(bytes: Uint8Array, filename?: string, as?: As): Promise<GqlResult<{ uploadImage: { id: string } }>>;
  sse(
    query: string,
    variables: Record<string, unknown>,
    as?: As,
    signal?: AbortSignal,
  ): AsyncGenerator<GqlResult>;
  /** The Prometheus text of /metrics (with the test token). */
  metrics(): Promise<string>;
  close(): Promise<void>;
}

/** The owner key test requests use unless they say otherwise, and a second owner for ownership tests. */
export const OWNER = 'test-owner-key-aaaaaaaaaaaa';
export const OTHER = 'test-owner-key-bbbbbbbbbbbb';

const headersFor = (as: As = {}) => ({ 'x-owner-key': as.ownerKey ?? OWNER, ...as.headers });

/** A fresh data folder, removed when the test process exits (restart tests reuse it until then). */
export const tempDataDir = (prefix = 'blip-api-'): string => tempDir(prefix);

/** A server on the stand-in engine (the test holds its generations: `engine.hold()`), and that engine. */
export async function startStandInServer(
  options: StandInOptions = {},
  overrides: Partial<Config> = {},
): Promise<TestServer & { engine: StandInEngine }> {
  const engine = new StandInEngine(options);
  const server = await startTestServer(overrides, engine);
  return { ...server, engine };
}

/** Starts a server on the real engine (tiny-vqa unless `models` says otherwise) or on `engine`;
 * `dataDir` reuses a previous server's data (restart tests). */
export async function startTestServer(overrides: Partial<Config> = {}, engine?: Engine): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? tempDataDir();
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      models: [TINY_MODEL],
      shutdownGraceMs: 0,
      metricsToken: METRICS_TOKEN,
      // Test servers log nothing unless a test asks (log.test.ts reads the lines of its own server).
      logLevel: 'silent',
      ...overrides,
      dataDir,
    },
  );
  const app = await startApp(config, engine ? { engine: async () => engine } : {});
  const endpoint = `${app.url}/graphql`;
  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, as: As = {}) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headersFor(as) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) } as GqlResult<T>;
  };
  const upload = async (bytes: Uint8Array, filename = 'image.png', as: As = {}) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'x-graphql-yoga-csrf': '1', ...headersFor(as) },
      body: uploadForm(bytes, filename),
    });
    return { status: res.status, ...((await res.json()) as object) } as GqlResult<{
      uploadImage: { id: string };
    }>;
  };
  const sse = (query: string, variables: Record<string, unknown>, as: As = {}, signal?: AbortSignal) =>
    readSse(endpoint, query, variables, headersFor(as), signal);
  const metrics = async () =>
    (await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return { app, url: app.url, config, gql, upload, sse, metrics, close: () => app.close() };
}
