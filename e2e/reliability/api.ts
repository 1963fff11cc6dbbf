// Starts the real API (apps/api/src/main.ts) as a child process on a free loopback port, with a data folder the
// caller may reuse across restarts; reads the port from its `{"event":"listening"}` line. Also runs it to exit,
// for start-up failures.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO } from './results.js';

/** How long the API may take to load tiny-vqa and listen, ms (2 busy cores). */
export const START_TIMEOUT_MS = 90_000;
/** The tiny random-init model: real tokens, nonsense answers, fast. */
export const TINY_MODEL = resolve(REPO, 'models/tiny-vqa');

/** A running API child. */
export interface Api {
  url: string;
  graphql: string;
  pid: number;
  child: ChildProcess;
  log: string[];
  dataDir: string;
  /** The `listening` line as parsed JSON. */
  listening: Record<string, unknown>;
  /** SIGTERM (or the given signal), wait for exit; SIGKILL after 10 s. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const made: string[] = [];
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder, removed when the test process exits. */
export function tempDir(prefix = 'blip-rel-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

function spawnApi(dataDir: string, env: Record<string, string>, uid?: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: REPO,
    ...(uid === undefined ? {} : { uid, gid: uid }),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, BLIP_MODELS: TINY_MODEL, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess, log: string[]): void {
  const keep = (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
}

/** Starts the API and resolves once it listens and /ready is 200. */
export async function startApi(opts: { dataDir?: string; env?: Record<string, string> } = {}): Promise<Api> {
  const dataDir = opts.dataDir ?? tempDir();
  const log: string[] = [];
  const child = spawnApi(dataDir, opts.env ?? {});
  collect(child, log);
  const listening = await waitForListening(child, log);
  const url = String(listening.url);
  await waitReady(url, child, log);
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const ended = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await ended;
    clearTimeout(timer);
  };
  return { url, graphql: `${url}/graphql`, pid: child.pid as number, child, log, dataDir, listening, stop };
}

async function waitForListening(child: ChildProcess, log: string[]): Promise<Record<string, unknown>> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    for (const line of log) {
      if (!line.startsWith('{"event":"listening"')) continue;
      return JSON.parse(line) as Record<string, unknown>;
    }
    if (child.exitCode !== null) throw new Error(`API exited (${child.exitCode}):\n${log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`API did not listen within ${START_TIMEOUT_MS} ms:\n${log.slice(-20).join('\n')}`);
}

async function waitReady(url: string, child: ChildProcess, log: string[]): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (child.exitCode !== null) throw new Error(`API exited (${child.exitCode}):\n${log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`API not ready within ${START_TIMEOUT_MS} ms`);
}

/** A start that is meant to fail: runs the API (as `uid` when given) until it exits, or kills it at the timeout. */
export async function runToExit(
  dataDir: string,
  env: Record<string, string>,
  timeoutMs = START_TIMEOUT_MS,
  uid?: number,
): Promise<{ code: number | null; signal: string | null; log: string[]; listened: boolean }> {
  const log: string[] = [];
  const child = spawnApi(dataDir, env, uid);
  collect(child, log);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await new Promise<[number | null, string | null]>((r) =>
    child.once('exit', (c, s) => r([c, s])),
  );
  clearTimeout(timer);
  return { code, signal, log, listened: log.some((l) => l.includes('"event":"listening"')) };
}

/** Resident memory of a process, MiB (from /proc/<pid>/status). */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] ? Math.round(Number(m[1]) / 102.4) / 10 : Number.NaN;
}

/** Open file handles of a process (entries of /proc/<pid>/fd). */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}
