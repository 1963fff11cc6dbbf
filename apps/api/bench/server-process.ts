// The real API server as a child process (`apps/api/src/main.ts`) on a loopback port, with a fresh data
// directory and the settings under test in its environment; stopped with SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../src/config.js';

/** How long the server may take to load and warm up its model before the benchmark gives up. */
export const SERVER_START_TIMEOUT_MS = 300_000;

/** A running server: its base URL and how to stop it. */
export interface ServerProcess {
  url: string;
  /** The server's process id. */
  pid: number;
  stop(): Promise<void>;
}

/** Waits for the `{"event":"listening",...}` line main.ts prints once the models are loaded. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((done, fail) => {
    let buffer = '';
    const timer = setTimeout(
      () => fail(new Error('API server did not start in time')),
      SERVER_START_TIMEOUT_MS,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) {
        if (!line.includes('"listening"')) continue;
        clearTimeout(timer);
        done((JSON.parse(line) as { url: string }).url);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`API server exited with ${code} before listening`));
    });
  });
}

/** Starts the API with `env` added to the defaults (port 0 on 127.0.0.1, a temporary data directory). */
export async function startServer(model: string, env: Record<string, string>): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'blip-load-'));
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'apps/api/src/main.ts')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      BLIP_MODELS: model,
      GRAPHIQL: 'false',
      SHUTDOWN_GRACE_MS: '0',
      ...env,
    },
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    const url = await listeningUrl(child);
    const stop = async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    };
    return { url, pid: child.pid ?? -1, stop };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
