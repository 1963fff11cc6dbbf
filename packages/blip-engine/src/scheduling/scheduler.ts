// Bounded admission for generations: at most `concurrency` run, at most `maxQueue` wait in order, and
// anyone past that is refused at once with OVERLOADED instead of growing memory without bound. Room can be
// reserved for several generations at once (all or nothing), so a caller that needs many never gets half.
import { BlipError } from '../errors.js';

/** A granted slot; call `release()` exactly once when the work is over (idempotent). */
export interface Slot {
  release(): void;
  /** Milliseconds spent waiting for the slot. */
  queueMs: number;
}

/** Room held for `count` generations; each acquire() that passes it uses one; release() gives back the rest. */
export interface Reservation {
  /** Generations that may still start on this reservation. */
  readonly remaining: number;
  release(): void;
}

/** What a caller of acquire() may add: a reservation to draw on, and who to tell about its place in line. */
export interface AcquireOptions {
  signal?: AbortSignal | undefined;
  reservation?: Reservation | undefined;
  /** Called with 0 when a slot was free at once, else with the 1-based place in line, again whenever it moves. */
  onPosition?: ((position: number) => void) | undefined;
}

interface Waiter {
  grant: () => void;
  refuse: (error: BlipError) => void;
  onPosition: ((position: number) => void) | undefined;
}

/** FIFO scheduler with a concurrency limit, a bounded waiting line and all-or-nothing reservations. */
export class Scheduler {
  private running = 0;
  private reserved = 0;
  private readonly waiting: Waiter[] = [];
  private readonly reservations = new WeakMap<Reservation, { left: number }>();

  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
    if (!Number.isInteger(maxQueue) || maxQueue < 0)
      throw new RangeError(`maxQueue must be an integer >= 0, got ${maxQueue}`);
  }

  /** Holds room for `count` generations (running or waiting), or throws OVERLOADED without holding any. */
  reserve(count: number): Reservation {
    if (this.occupied() + count > this.concurrency + this.maxQueue) throw this.overloaded(count);
    this.reserved += count;
    const state = { left: count };
    const reservation: Reservation = {
      get remaining() {
        return state.left;
      },
      release: () => {
        this.reserved -= state.left;
        state.left = 0;
      },
    };
    this.reservations.set(reservation, state);
    return reservation;
  }

  /** Waits for a slot. Rejects at once with OVERLOADED when the line is full, with CANCELLED if `signal` aborts first. */
  acquire(options: AcquireOptions = {}): Promise<Slot> {
    const { signal, onPosition } = options;
    if (signal?.aborted) return Promise.reject(cancelled());
    const held = options.reservation ? this.reservations.get(options.reservation) : undefined;
    if (options.reservation && !held?.left)
      return Promise.reject(new BlipError('RUNTIME', 'this reservation has no generation left'));
    if (!held && this.occupied() >= this.concurrency + this.maxQueue)
      return Promise.reject(this.overloaded(1));
    if (held) {
      held.left--;
      this.reserved--;
    }
    const start = performance.now();
    if (this.running < this.concurrency && this.waiting.length === 0) {
      this.running++;
      onPosition?.(0);
      return Promise.resolve(this.slot(start));
    }
    return new Promise<Slot>((resolve, reject) => {
      const onAbort = () => {
        this.leaveLine(waiter);
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
        onPosition,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      onPosition?.(this.waiting.length);
    });
  }

  /** Generations running and waiting now (reserved room not yet used is not counted). */
  depth(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Refuses everyone still waiting (used on dispose). */
  rejectWaiting(error: BlipError): void {
    for (const waiter of this.waiting.splice(0)) waiter.refuse(error);
  }

  private occupied(): number {
    return this.running + this.waiting.length + this.reserved;
  }

  private overloaded(count: number): BlipError {
    const asked = count === 1 ? '' : ` (asked for ${count} at once)`;
    return new BlipError(
      'OVERLOADED',
      `the engine is busy: ${this.running} generations running and ${this.waiting.length} waiting (maxQueue ${this.maxQueue})${asked}; retry later`,
    );
  }

  private leaveLine(waiter: Waiter): void {
    const at = this.waiting.indexOf(waiter);
    if (at < 0) return;
    this.waiting.splice(at, 1);
    this.tellPositions(at);
  }

  /** Everyone from `from` on moved up one place. */
  private tellPositions(from: number): void {
    for (let i = from; i < this.waiting.length; i++) this.waiting[i]?.onPosition?.(i + 1);
  }

  private slot(start: number): Slot {
    let released = false;
    return {
      queueMs: performance.now() - start,
      release: () => {
        if (released) return;
        released = true;
        const next = this.waiting.shift();
        if (next) {
          next.grant(); // the slot passes straight to the next in line
          this.tellPositions(0);
        } else this.running--;
      },
    };
  }
}

function cancelled(): BlipError {
  return new BlipError('CANCELLED', 'the call was cancelled before it started');
}
