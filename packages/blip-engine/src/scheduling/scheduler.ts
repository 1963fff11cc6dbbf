// Bounded admission for generations: at most `concurrency` run, at most `maxQueue` wait in order, and
// anyone past that is refused at once with OVERLOADED instead of growing memory without bound.
import { BlipError } from '../errors.js';

/** A granted slot; call `release()` exactly once when the work is over (idempotent). */
export interface Slot {
  release(): void;
  /** Milliseconds spent waiting for the slot. */
  queueMs: number;
}

interface Waiter {
  grant: () => void;
  refuse: (error: BlipError) => void;
}

/** FIFO scheduler with a concurrency limit and a bounded waiting line. */
export class Scheduler {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
    if (!Number.isInteger(maxQueue) || maxQueue < 0)
      throw new RangeError(`maxQueue must be an integer >= 0, got ${maxQueue}`);
  }

  /** Waits for a slot. Rejects at once with OVERLOADED when the line is full, with CANCELLED if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<Slot> {
    if (signal?.aborted) return Promise.reject(cancelled());
    const start = performance.now();
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve(this.slot(start));
    }
    if (this.waiting.length >= this.maxQueue) {
      return Promise.reject(
        new BlipError(
          'OVERLOADED',
          `the engine is busy: ${this.running} generations running and ${this.waiting.length} waiting (maxQueue ${this.maxQueue}); retry later`,
        ),
      );
    }
    return new Promise<Slot>((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(cancelled());
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.slot(start));
        },
        refuse: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Generations running and waiting now. */
  depth(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Refuses everyone still waiting (used on dispose). */
  rejectWaiting(error: BlipError): void {
    for (const waiter of this.waiting.splice(0)) waiter.refuse(error);
  }

  private slot(start: number): Slot {
    let released = false;
    return {
      queueMs: performance.now() - start,
      release: () => {
        if (released) return;
        released = true;
        const next = this.waiting.shift();
        if (next)
          next.grant(); // the slot passes straight to the next in line
        else this.running--;
      },
    };
  }
}

function cancelled(): BlipError {
  return new BlipError('CANCELLED', 'the call was cancelled before it started');
}
