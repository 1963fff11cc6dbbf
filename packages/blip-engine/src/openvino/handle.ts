// Ownership of one native handle: freed by dispose() (idempotent), or by a FinalizationRegistry if the JS owner is
// garbage-collected first. The registry's held value carries whatever JS memory the native side points into
// (a tensor's TypedArray), so that memory cannot be collected before the native handle is freed.
import { OpenVinoError } from './errors.js';

interface Held {
  ptr: unknown;
  free: (ptr: unknown) => void;
  keep: unknown;
}

let live = 0;

/** Free one held pointer, counting it. */
function release(held: Held): void {
  live--;
  held.free(held.ptr);
}

const registry = new FinalizationRegistry<Held>(release);

/** Native handles not yet freed, process-wide (leak checks in tests and diagnostics). */
export function liveHandles(): number {
  return live;
}

/** A native pointer with exactly one owner; `ptr` throws once disposed instead of handing out a dangling pointer. */
export class NativeHandle {
  readonly #what: string;
  #held: Held | undefined;

  /** Take ownership of `ptr` for `owner`; `keep` stays reachable until the pointer is freed. */
  constructor(owner: object, what: string, ptr: unknown, free: (ptr: unknown) => void, keep?: unknown) {
    this.#what = what;
    this.#held = { ptr, free, keep };
    live++;
    registry.register(owner, this.#held, this);
  }

  /** The live pointer; throws OpenVinoError('DISPOSED') after dispose(). */
  get ptr(): unknown {
    if (!this.#held) throw new OpenVinoError('DISPOSED', `${this.#what}`, 'used after dispose()');
    return this.#held.ptr;
  }

  /** Whether dispose() has run. */
  get disposed(): boolean {
    return this.#held === undefined;
  }

  /** Free the native handle now; later calls do nothing. */
  dispose(): void {
    const held = this.#held;
    if (!held) return;
    this.#held = undefined;
    registry.unregister(this);
    release(held);
  }
}
