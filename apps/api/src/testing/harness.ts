// Test support: a real server on 127.0.0.1 port 0 with a fresh data directory, and small real clients
// (JSON over fetch, multipart upload, SSE read from the fetch body). No part of the server is faked.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type App, startApp } from '../app.js';
import { type Config, loadConfig, REPO_ROOT } from '../config.js';

/** The tiny random-init test model: real tokens, nonsense answers, fast. */
export const TINY_MODEL = resolve(REPO_ROOT, 'models/tiny-vqa');
/** A bundled fixture image's bytes. */
export const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(resolve(REPO_ROOT, 'models/fixtures/images', name)));

/** A GraphQL response. */
export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

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
  close(): Promise<void>;
}

/** The owner key test requests use unless they say otherwise, and a second owner for ownership tests. */
export const OWNER = 'test-owner-key-aaaaaaaaaaaa';
export const OTHER = 'test-owner-key-bbbbbbbbbbbb';

const headersFor = (as: As = {}) => ({ 'x-owner-key': as.ownerKey ?? OWNER, ...as.headers });

// Data folders made here are removed when the test process exits (restart tests reuse them until then).
const madeDirs: string[] = [];
process.once('exit', () => {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh data folder, removed when the test process exits. */
export function tempDataDir(prefix = 'blip-api-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/** Starts a server; `dataDir` reuses a previous server's data (restart tests). */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? tempDataDir();
  const config = loadConfig(
    {},
    { port: 0, host: '127.0.0.1', models: [TINY_MODEL], shutdownGraceMs: 0, ...overrides, dataDir },
  );
  const app = await startApp(config);
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
  return { app, url: app.url, config, gql, upload, sse, close: () => app.close() };
}

/** A GraphQL multipart request body uploading one file as $file. */
export function uploadForm(bytes: Uint8Array, filename: string): FormData {
  const form = new FormData();
  form.set(
    'operations',
    JSON.stringify({
      query:
        'mutation ($file: File!) { uploadImage(file: $file) { id width height format sha256 byteSize } }',
      variables: { file: null },
    }),
  );
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([bytes as Uint8Array<ArrayBuffer>]), filename);
  return form;
}

/** Subscribes over SSE (POST, Accept: text/event-stream) and yields each `next` payload. */
export async function* readSse(
  endpoint: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
  signal?: AbortSignal,
): AsyncGenerator<GqlResult> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: signal ?? null,
  });
  if (!res.body) throw new Error(`no SSE body (status ${res.status})`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = frame
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join('\n');
      if (event === 'complete') return;
      if (data) yield { status: res.status, ...(JSON.parse(data) as object) };
      end = buffer.indexOf('\n\n');
    }
  }
}
