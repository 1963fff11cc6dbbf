// Running a blocking C call on koffi's worker threads, as a Promise, so the JS event loop keeps turning.
import type { NativeFn } from './native.js';

/** Call `fn(...args)` on a koffi worker thread and resolve with its return value (an ov_status_e). */
export function callAsync(fn: NativeFn, ...args: unknown[]): Promise<number> {
  return new Promise((resolve, reject) => {
    fn.async(...args, (err: unknown, status: number) => {
      if (err) reject(err);
      else resolve(status);
    });
  });
}
