// The Timings a call starts from: every stage at 0 until it runs and writes its own figure (a stage that does not
// run for this call, such as the vision encoder on a cached image, stays 0).
import type { Timings } from '../types.js';

/** A fresh Timings with every stage at 0 (a new object per call: the stages write into it). */
export function zeroTimings(): Timings {
  return {
    preprocessMs: 0,
    visionMs: 0,
    textEncoderMs: 0,
    firstTokenMs: 0,
    perTokenMs: 0,
    totalMs: 0,
    queueMs: 0,
  };
}
