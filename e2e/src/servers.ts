// Starts the real API and the built web app on free loopback ports for the end-to-end tests, and stops them after.
// Each runs in its own process group, so stopping one ends everything it started and nothing else.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (e2e/src/servers.ts is two levels down). */
export const REPO = resolve(import.meta.dirname, '../..');
/** How long the API may take to load its models, ms. */
export const API_START_TIMEOUT_MS = 120_000;
/** How long the web app may take to build (first run) and start, ms. */
export const WEB_START_TIMEOUT_MS = 240_000;

/** A started server: where it listens and how to stop it. */
export interface Running {
  url: string;
  process: ChildProcess;
  /** Everything it printed, for failure messages. */
  log: string[];
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise((r) => server.close(r));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function launch(command: string, args: string[], env: Record<string, string>, log: string[]): ChildProcess {
  const child = spawn(command, args, {
    cwd: REPO,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

/** Sends SIGTERM to the process group, then SIGKILL if it has not ended within `graceMs`. */
function stopper(child: ChildProcess, graceMs = 5000): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const ended = new Promise<void>((r) => child.once('exit', () => r()));
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), graceMs);
    await ended;
    clearTimeout(timer);
  };
}

/** Polls `url` until it answers 200, the process dies, or the time is up. */
export async function waitForHealth(
  url: string,
  child: ChildProcess,
  log: string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`server exited (${child.exitCode}) before ${url} was up:\n${log.join('\n')}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms:\n${log.slice(-30).join('\n')}`);
}

/** Starts apps/api with a fresh data folder; `env` adds settings (models, limits). */
export async function startApi(env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const log: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'blip-e2e-'));
  const child = launch(
    process.execPath,
    ['--import', 'tsx', 'apps/api/src/main.ts'],
    { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ...env },
    log,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(`${url}/ready`, child, log, API_START_TIMEOUT_MS);
  const stop = stopper(child);
  // The data folder (SQLite, stored images) belongs to this run only.
  const stopAndClean = async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, process: child, log, stop: stopAndClean };
}

/** Starts apps/web (building it first when the build is missing or stale) in front of the API at `apiUrl`. */
export async function startWeb(apiUrl: string, env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const log: string[] = [];
  const child = launch(
    process.execPath,
    ['--import', 'tsx', 'apps/web/scripts/serve.ts'],
    { WEB_PORT: String(port), WEB_HOST: '127.0.0.1', BLIP_API_URL: `${apiUrl}/graphql`, ...env },
    log,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(`${url}/health`, child, log, WEB_START_TIMEOUT_MS);
  return { url, process: child, log, stop: stopper(child) };
}
