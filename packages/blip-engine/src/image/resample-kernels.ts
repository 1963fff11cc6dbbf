// The two 1-D passes of Pillow's 8-bit convolution resampler (Resample.c, ImagingResample{Horizontal,Vertical}_8bpc)
// over interleaved RGB: fixed-point integer weights, 32-bit sums, no allocation per pixel. Where an output has at
// most 8 taps (scales down to ~1/2, and every upscale) the weights of one output column (horizontal pass) or row
// (vertical pass) sit in locals and the loop runs along the other axis, unrolled over a fixed 4, 6 or 8 taps
// (missing taps weigh 0): V8 keeps the sums in registers. Pillow's clip8 is a store into a Uint8ClampedArray view
// of the output (no branch per byte). 640×480 → 384² took 8.7 → 7.4 ms for a decoded photo (11.3 → 6.1 ms on
// random pixels); larger shrinks keep Pillow's own loop order, which walks memory in order (3000×2000 → 384²:
// ~80 ms either way). BENCHMARKS.md, "Issue 18, session 6".

/** Pillow keeps 22 fraction bits for 8-bit images: 32 − 8 − 2. */
export const PRECISION_BITS = 22;
export const HALF = 1 << (PRECISION_BITS - 1);

/** Per output pixel: first source index, tap count, and fixed-point weights (ksize per output). */
export interface Coefficients {
  first: Int32Array;
  count: Int32Array;
  weights: Int32Array;
  ksize: number;
}

/** The most taps any output of the pass has: passes with more than 8 keep Pillow's loop order. */
export function mostTaps(c: Coefficients): number {
  return c.count.reduce((a, b) => Math.max(a, b), 0);
}
