// The real API (apps/api/src/main.ts) as a child process on 127.0.0.1 port 0 with its own data folder. Its address
// comes from the `{"event":"listening",…}` line it prints once its models are loaded; then /ready is awaited.
import { spawn } from 'node:child_process';
import { type ChildServer, startChildServer } from './child-server.js';
import { REPO, TINY_MODEL } from './paths.js';
import { tempDir } from './temp.js';

/** How long the API may take to load its models and listen, ms (a busy 2-core machine, a cold disk). */
export const API_START_TIMEOUT_MS = 180_000;

/** What to start: settings added to the defaults (port 0, loopback, a fresh data folder, tiny-vqa). */
export interface ApiOptions {
  /** Reuse a data folder (restart tests); a fresh temporary one by default. */
  dataDir?: string;
  /** Environment settings, e.g. { BLIP_MAX_QUEUE: '4', BLIP_MODELS: … }. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** A running API. */
export interface ApiProcess extends ChildServer {
  /** The GraphQL endpoint, `${url}/graphql`. */
  graphql: string;
  dataDir: string;
  /** The listening line, parsed. */
  listening: Record<string, unknown>;
}

const API_ARGS = ['--import', 'tsx', 'apps/api/src/main.ts'];

function apiEnv(dataDir: string, env: Record<string, string> = {}): Record<string, string> {
  return { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, BLIP_MODELS: TINY_MODEL, ...env };
}

/** The URL in an API `listening` line, else undefined. */
export function apiListeningUrl(line: string): string | undefined {
  if (!line.startsWith('{"event":"listening"')) return undefined;
  return String((JSON.parse(line) as { url: string }).url);
}

/** Starts the API and resolves once it has reported its address and /ready answers 200. */
export async function startApi(options: ApiOptions = {}): Promise<ApiProcess> {
  const dataDir = options.dataDir ?? tempDir('blip-api-');
  const timeoutMs = options.timeoutMs ?? API_START_TIMEOUT_MS;
  const server = await startChildServer({
    command: process.execPath,
    args: API_ARGS,
    cwd: REPO,
    env: apiEnv(dataDir, options.env),
    listeningUrl: apiListeningUrl,
    timeoutMs,
  });
  await untilReady(server, timeoutMs);
  const listening = JSON.parse(server.listeningLine) as Record<string, unknown>;
  return Object.assign(server, { graphql: `${server.url}/graphql`, dataDir, listening });
}

/** Polls /ready until 200 (the models are warm), failing if the server exits or the time is up. */
async function untilReady(server: ChildServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`API exited:\n${server.log.join('\n')}`);
    const ok = await fetch(`${server.url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  await server.stop('SIGKILL');
  throw new Error(`API not ready within ${timeoutMs} ms:\n${server.log.slice(-20).join('\n')}`);
}

/** How a start that was meant to fail ended. */
export interface ApiExit {
  code: number | null;
  signal: string | null;
  log: string[];
  listened: boolean;
}

/** Runs the API (as `uid` when given) until it exits, or kills it at the timeout: for start-up failures. */
export async function runApiToExit(
  dataDir: string,
  env: Record<string, string>,
  options: { timeoutMs?: number; uid?: number } = {},
): Promise<ApiExit> {
  const { uid, timeoutMs = API_START_TIMEOUT_MS } = options;
  const child = spawn(process.execPath, API_ARGS, {
    cwd: REPO,
    ...(uid === undefined ? {} : { uid, gid: uid }),
    env: { ...process.env, ...apiEnv(dataDir, env) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const keep = (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await new Promise<[number | null, string | null]>((r) =>
    child.once('exit', (c, s) => r([c, s])),
  );
  clearTimeout(timer);
  return { code, signal, log, listened: log.some((l) => apiListeningUrl(l) !== undefined) };
}
