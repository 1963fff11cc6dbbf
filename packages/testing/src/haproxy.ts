// HAProxy for tests, on a port the kernel picked: this process listens on 127.0.0.1:0 and hands the listening
// socket to HAProxy as fd 3 (`bind fd@3`), so the port is known without guessing a free one. The runtime API
// (a unix socket in a temp folder) tells when it is up and lets a test move a server to a restarted replica.
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { systemBinary } from './system-package.js';
import { tempDir } from './temp.js';

/** A running test HAProxy. */
export interface TestHaproxy {
  url: string;
  /** Its stdout/stderr lines (with `log stdout`, one per request). */
  log: string[];
  /** Sends one runtime API command and returns the answer. */
  command(line: string): Promise<string>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A listening socket on 127.0.0.1 and the port the kernel gave it. */
async function listeningSocket(): Promise<{ server: Server; port: number; fd: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
  return { server, port: (server.address() as { port: number }).port, fd };
}

/** Asks the runtime API over its unix socket. */
function ask(socket: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const conn = connect(socket, () => conn.end(`${line}\n`));
    conn.on('data', (c: Buffer) => chunks.push(c));
    conn.on('end', () => resolve(Buffer.concat(chunks).toString()));
    conn.on('error', reject);
  });
}

/** Starts `haproxy -f config` with `env` (BLIP_BIND and BLIP_HAPROXY_SOCKET are set here). */
export async function startHaproxy(config: string, env: Record<string, string>): Promise<TestHaproxy> {
  const haproxy = systemBinary(['/usr/sbin/haproxy'], 'haproxy');
  const dir = tempDir('blip-haproxy-');
  const socket = join(dir, 'admin.sock');
  const { server, port, fd } = await listeningSocket();
  const child = spawn(haproxy, ['-db', '-f', config], {
    env: { ...process.env, ...env, BLIP_BIND: 'fd@3', BLIP_HAPROXY_SOCKET: socket },
    stdio: ['ignore', 'pipe', 'pipe', fd],
  });
  running.add(child);
  server.close(); // HAProxy holds its own copy of the socket now
  const log: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      log.push(...lines.filter((l) => l.trim()));
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Up once its runtime API answers (the socket appears when the configuration has been loaded).
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited:\n${log.join('\n')}`);
    const info = await ask(socket, 'show info').catch(() => '');
    if (info.includes('Pid:')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    command: (line) => ask(socket, line),
    async stop() {
      if (child.exitCode === null) child.kill('SIGUSR1'); // soft stop: finish what runs, then exit
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      running.delete(child);
    },
  };
}
