// A contender as a child process driven line by line: it prints `@@ ready` once loaded and warmed up, answers
// each image index written to its stdin with one `@@ <json>` line, and writes its report to --out after `end`.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PROTOCOL_PREFIX } from './contender-engine.js';

/** How long one contender may take to load, or to answer one image, before the benchmark gives up. */
export const CONTENDER_STEP_TIMEOUT_MS = 900_000;

/** A running contender. */
export class ContenderProcess {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  private readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    cwd: string,
  ) {
    this.child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
    this.exited = new Promise((done) => this.child.once('exit', (code) => done(code)));
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith(PROTOCOL_PREFIX)) return; // a library's stray print
      const body = line.slice(PROTOCOL_PREFIX.length);
      if (this.waiting) this.waiting(body);
      else this.lines.push(body);
    });
  }

  /** The next protocol line; rejects when the process exits first or takes too long. */
  next(): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`${this.name}: no answer in time`)),
        CONTENDER_STEP_TIMEOUT_MS,
      );
      this.waiting = (line) => {
        clearTimeout(timer);
        this.waiting = null;
        done(line);
      };
      void this.exited.then((code) => {
        clearTimeout(timer);
        fail(new Error(`${this.name} exited with ${code}`));
      });
    });
  }

  /** Waits for `ready`. */
  async ready(): Promise<void> {
    const line = await this.next();
    if (line !== 'ready') throw new Error(`${this.name}: expected ready, got ${line.slice(0, 80)}`);
  }

  /** Answers image `index`; returns its sample line (JSON). */
  answer(index: number): Promise<unknown> {
    return this.request(String(index));
  }

  /** Sends one request line (e.g. `3 caption 12`); returns its sample line (JSON). */
  async request(line: string): Promise<unknown> {
    this.child.stdin?.write(`${line}\n`);
    return JSON.parse(await this.next());
  }

  /** Sends `end` and waits for a clean exit (the report is then in its --out file). */
  async end(): Promise<void> {
    this.child.stdin?.end('end\n');
    const code = await this.exited;
    if (code !== 0) throw new Error(`${this.name} exited with ${code}`);
  }

  /** Kills the process if it still runs (after a failure elsewhere). */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
