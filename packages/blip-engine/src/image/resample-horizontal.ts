// The horizontal pass of Pillow's resampler (resample-kernels.ts says how these loops are laid out).
import { type Coefficients, HALF, mostTaps, PRECISION_BITS } from './resample-kernels.js';

/** Rows [from, to) of a width-wide image → outW wide: output column by output column, its taps in locals. */
export function horizontalRows(
  src: Uint8Array,
  dst: Uint8Array,
  c: Coefficients,
  width: number,
  outW: number,
  from: number,
  to: number,
): void {
  // A clamped view stores Pillow's clip8 of each sum (0..255) without a branch: sum >> PRECISION_BITS clamped.
  const clamped = new Uint8ClampedArray(dst.buffer, dst.byteOffset, dst.length);
  // Beyond 8 taps (shrinking by more than ~2×) walking down columns misses the cache: Pillow's own order.
  if (mostTaps(c) > 8 || width < 8) {
    rowsOfMany(src, clamped, c, width, outW, from, to);
    return;
  }
  const t = new Int32Array(8);
  for (let o = 0; o < outW; o++) {
    const n = c.count[o] as number;
    const size = n <= 4 ? 4 : 8;
    // Padded to `size` taps inside the row: the window starts earlier near the right edge, zeros in front.
    const start = Math.min(c.first[o] as number, width - size);
    const shift = (c.first[o] as number) - start;
    t.fill(0);
    for (let j = 0; j < n; j++) t[shift + j] = c.weights[o * c.ksize + j] as number;
    if (size === 4) columnOf4(src, clamped, t, start * 3, o * 3, width * 3, outW * 3, from, to);
    else columnOf8(src, clamped, t, start * 3, o * 3, width * 3, outW * 3, from, to);
  }
}

/** One output column over rows [from, to) from 4 neighbouring source pixels. */
function columnOf4(
  src: Uint8Array,
  dst: Uint8ClampedArray,
  t: Int32Array,
  at: number,
  out: number,
  line: number,
  outLine: number,
  from: number,
  to: number,
): void {
  const w0 = t[0] as number,
    w1 = t[1] as number,
    w2 = t[2] as number,
    w3 = t[3] as number;
  for (let y = from; y < to; y++) {
    let a = y * line + at;
    const d = y * outLine + out;
    for (let ch = 0; ch < 3; ch++, a++) {
      const s =
        HALF +
        Math.imul(src[a] as number, w0) +
        Math.imul(src[a + 3] as number, w1) +
        Math.imul(src[a + 6] as number, w2) +
        Math.imul(src[a + 9] as number, w3);
      dst[d + ch] = (s | 0) >> PRECISION_BITS;
    }
  }
}

/** One output column over rows [from, to) from 5 to 8 neighbouring source pixels. */
function columnOf8(
  src: Uint8Array,
  dst: Uint8ClampedArray,
  t: Int32Array,
  at: number,
  out: number,
  line: number,
  outLine: number,
  from: number,
  to: number,
): void {
  const w0 = t[0] as number,
    w1 = t[1] as number,
    w2 = t[2] as number,
    w3 = t[3] as number;
  const w4 = t[4] as number,
    w5 = t[5] as number,
    w6 = t[6] as number,
    w7 = t[7] as number;
  for (let y = from; y < to; y++) {
    let a = y * line + at;
    const d = y * outLine + out;
    for (let ch = 0; ch < 3; ch++, a++) {
      const s =
        HALF +
        Math.imul(src[a] as number, w0) +
        Math.imul(src[a + 3] as number, w1) +
        Math.imul(src[a + 6] as number, w2) +
        Math.imul(src[a + 9] as number, w3) +
        Math.imul(src[a + 12] as number, w4) +
        Math.imul(src[a + 15] as number, w5) +
        Math.imul(src[a + 18] as number, w6) +
        Math.imul(src[a + 21] as number, w7);
      dst[d + ch] = (s | 0) >> PRECISION_BITS;
    }
  }
}

/** Rows [from, to), output pixel by output pixel, the taps in a loop: large downscales. */
function rowsOfMany(
  src: Uint8Array,
  dst: Uint8ClampedArray,
  c: Coefficients,
  width: number,
  outW: number,
  from: number,
  to: number,
): void {
  const { first, count, weights, ksize } = c;
  for (let y = from; y < to; y++) {
    const row = y * width * 3;
    let out = y * outW * 3;
    for (let o = 0; o < outW; o++) {
      let k = o * ksize;
      const end = k + (count[o] as number);
      let r = HALF;
      let g = HALF;
      let b = HALF;
      // Pillow sums in a 32-bit int; Math.imul and `| 0` keep V8 on int32 arithmetic (the sums fit, as in C).
      for (let at = row + (first[o] as number) * 3; k < end; k++, at += 3) {
        const w = weights[k] as number;
        r = (r + Math.imul(src[at] as number, w)) | 0;
        g = (g + Math.imul(src[at + 1] as number, w)) | 0;
        b = (b + Math.imul(src[at + 2] as number, w)) | 0;
      }
      dst[out++] = r >> PRECISION_BITS;
      dst[out++] = g >> PRECISION_BITS;
      dst[out++] = b >> PRECISION_BITS;
    }
  }
}
