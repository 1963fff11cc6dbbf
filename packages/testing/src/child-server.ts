// A server run as a child process that listens on port 0 and REPORTS the port it got on stdout: the caller reads
// the address from that line instead of picking a free port first (another process could take it in between).
// The child runs in its own process group, so stopping it ends everything it started and nothing else.
import { type ChildProcess, spawn } from 'node:child_process';

/** How to start a server and how to recognise the line that says where it listens. */
export interface ChildServerSpec {
  command: string;
  args: string[];
  cwd: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** The server's base URL when `line` is its "listening" line, else undefined. */
  listeningUrl(line: string): string | undefined;
  /** How long it may take to print that line, ms. */
  timeoutMs: number;
}

/** A running child server. */
export interface ChildServer {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Every line it printed (stdout and stderr), for assertions and failure messages. */
  log: string[];
  /** The line that reported the address. */
  listeningLine: string;
  /** Signals the process group (SIGTERM by default) and waits for the exit; SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

// Servers still running when the test process exits (a failed test, Ctrl-C) are killed with it, not orphaned.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
});

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

/** Starts the child and resolves with its URL once it prints its listening line; rejects if it exits first. */
export async function startChildServer(spec: ChildServerSpec): Promise<ChildServer> {
  const log: string[] = [];
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      running.delete(child);
      done();
    }),
  );
  const stop = stopper(child, exited);
  try {
    const { url, line } = await listening(child, spec, log);
    return { url, pid: child.pid as number, child, log, listeningLine: line, stop };
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
}

/** Collects the child's output line by line and resolves at the first listening line. */
function listening(
  child: ChildProcess,
  spec: ChildServerSpec,
  log: string[],
): Promise<{ url: string; line: string }> {
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`no listening line within ${spec.timeoutMs} ms:\n${log.slice(-30).join('\n')}`)),
      spec.timeoutMs,
    );
    const onLine = (line: string) => {
      log.push(line);
      const url = spec.listeningUrl(line);
      if (url === undefined) return;
      clearTimeout(timer);
      done({ url, line });
    };
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) onLine(line);
      });
    }
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`exited (${code ?? signal}) before listening:\n${log.slice(-30).join('\n')}`));
    });
  });
}

function stopper(child: ChildProcess, exited: Promise<void>) {
  return async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const pid = child.pid;
    killGroup(pid, signal);
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
}
