// The bounded decode stage: a 39 KB PNG can decode to 8000×5000 pixels, so thirty parallel uploads of it
// would hold gigabytes at once. Decodes pass this gate in arrival order, at most `maxConcurrentDecodes` at a
// time and within `decodeMemoryBytes` of estimated pixel memory; the rest wait (the header told us the size).
import { BlipError } from '../errors.js';

/** Settings of the decode stage. */
export interface DecodeLimits {
  /** Images decoded at the same time. */
  maxConcurrentDecodes: number;
  /** Estimated bytes all running decodes may hold together (see bytesToDecode); one larger image runs alone. */
  decodeMemoryBytes: number;
}

/** Defaults: 2 decodes (2 cores), 512 MiB: one 40-megapixel image at a time, many small ones. */
export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxConcurrentDecodes: 2,
  decodeMemoryBytes: 512 * 1024 * 1024,
});

/**
 * Peak bytes a decode of width × height holds, estimated: libvips' decoded RGBA (4 B/px), the raw output (4)
 * and our RGB copy after compositing or CMYK conversion (3), rounded up to 12 bytes per pixel.
 */
export function bytesToDecode(width: number, height: number): number {
  return width * height * 12;
}

interface Waiter {
  bytes: number;
  enter: () => void;
}

/** FIFO gate; a big image at the head is not overtaken by small ones, so it cannot starve. */
export class DecodeGate {
  private running = 0;
  private held = 0;
  private readonly line: Waiter[] = [];

  constructor(readonly limits: DecodeLimits) {}

  /** Waits for room for `bytes`; the returned function leaves the gate (idempotent). */
  async enter(bytes: number, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted)
      throw new BlipError('CANCELLED', 'the call was cancelled before the image was decoded');
    if (!this.fits(bytes) || this.line.length > 0) {
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { bytes, enter: resolve };
        const onAbort = () => {
          const at = this.line.indexOf(waiter);
          if (at >= 0) this.line.splice(at, 1);
          reject(new BlipError('CANCELLED', 'the call was cancelled while waiting to decode its image'));
        };
        waiter.enter = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.line.push(waiter);
      });
    } else this.take(bytes);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.running--;
      this.held -= bytes;
      this.admit();
    };
  }

  /** Decodes running and waiting now. */
  depth(): { running: number; waiting: number; bytes: number } {
    return { running: this.running, waiting: this.line.length, bytes: this.held };
  }

  private fits(bytes: number): boolean {
    if (this.running >= this.limits.maxConcurrentDecodes) return false;
    return this.running === 0 || this.held + bytes <= this.limits.decodeMemoryBytes;
  }

  private take(bytes: number): void {
    this.running++;
    this.held += bytes;
  }

  private admit(): void {
    for (let head = this.line[0]; head && this.fits(head.bytes); head = this.line[0]) {
      this.line.shift();
      this.take(head.bytes);
      head.enter();
    }
  }
}
