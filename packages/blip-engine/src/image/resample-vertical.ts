// The vertical pass of Pillow's resampler (resample-kernels.ts says how these loops are laid out).
import { type Coefficients, HALF, mostTaps, PRECISION_BITS } from './resample-kernels.js';

/** Output rows [from, to) of a width-wide image, each summing `count` source rows with the same weights. */
export function verticalRows(
  src: Uint8Array,
  dst: Uint8Array,
  c: Coefficients,
  width: number,
  from: number,
  to: number,
): void {
  // A clamped view stores Pillow's clip8 of each sum (0..255) without a branch: sum >> PRECISION_BITS clamped.
  const clamped = new Uint8ClampedArray(dst.buffer, dst.byteOffset, dst.length);
  const line = width * 3;
  if (mostTaps(c) > 8) {
    columnsOfMany(src, clamped, c, width, from, to);
    return;
  }
  for (let o = from; o < to; o++) {
    const n = c.count[o] as number;
    const at = (c.first[o] as number) * line;
    const k = o * c.ksize;
    if (n <= 4) rowOf4(src, clamped, o * line, line, taps(c.weights, k, n, at, line, 4));
    else if (n <= 6) rowOf6(src, clamped, o * line, line, taps(c.weights, k, n, at, line, 6));
    else rowOf8(src, clamped, o * line, line, taps(c.weights, k, n, at, line, 8));
  }
}

/** Source offsets and weights of one output row, padded to `size` taps (weight 0, reading the first tap's row). */
function taps(weights: Int32Array, k: number, n: number, at: number, line: number, size: number): Int32Array {
  const t = new Int32Array(2 * size);
  for (let j = 0; j < size; j++) {
    t[j] = j < n ? at + j * line : at;
    t[size + j] = j < n ? (weights[k + j] as number) : 0;
  }
  return t;
}

/** One output row from up to 4 source rows: every tap in a local, one pass over the row. */
function rowOf4(src: Uint8Array, dst: Uint8ClampedArray, out: number, line: number, t: Int32Array): void {
  const o0 = t[0] as number,
    o1 = t[1] as number,
    o2 = t[2] as number,
    o3 = t[3] as number;
  const w0 = t[4] as number,
    w1 = t[5] as number,
    w2 = t[6] as number,
    w3 = t[7] as number;
  for (let x = 0; x < line; x++) {
    const s =
      HALF +
      Math.imul(src[o0 + x] as number, w0) +
      Math.imul(src[o1 + x] as number, w1) +
      Math.imul(src[o2 + x] as number, w2) +
      Math.imul(src[o3 + x] as number, w3);
    dst[out + x] = (s | 0) >> PRECISION_BITS;
  }
}

/** One output row from 5 or 6 source rows (640×480 → 384² takes 5 rows per output row). */
function rowOf6(src: Uint8Array, dst: Uint8ClampedArray, out: number, line: number, t: Int32Array): void {
  const o0 = t[0] as number,
    o1 = t[1] as number,
    o2 = t[2] as number,
    o3 = t[3] as number;
  const o4 = t[4] as number,
    o5 = t[5] as number;
  const w0 = t[6] as number,
    w1 = t[7] as number,
    w2 = t[8] as number,
    w3 = t[9] as number;
  const w4 = t[10] as number,
    w5 = t[11] as number;
  for (let x = 0; x < line; x++) {
    const s =
      HALF +
      Math.imul(src[o0 + x] as number, w0) +
      Math.imul(src[o1 + x] as number, w1) +
      Math.imul(src[o2 + x] as number, w2) +
      Math.imul(src[o3 + x] as number, w3) +
      Math.imul(src[o4 + x] as number, w4) +
      Math.imul(src[o5 + x] as number, w5);
    dst[out + x] = (s | 0) >> PRECISION_BITS;
  }
}

/** One output row from 7 or 8 source rows. */
function rowOf8(src: Uint8Array, dst: Uint8ClampedArray, out: number, line: number, t: Int32Array): void {
  const o0 = t[0] as number,
    o1 = t[1] as number,
    o2 = t[2] as number,
    o3 = t[3] as number;
  const o4 = t[4] as number,
    o5 = t[5] as number,
    o6 = t[6] as number,
    o7 = t[7] as number;
  const w0 = t[8] as number,
    w1 = t[9] as number,
    w2 = t[10] as number,
    w3 = t[11] as number;
  const w4 = t[12] as number,
    w5 = t[13] as number,
    w6 = t[14] as number,
    w7 = t[15] as number;
  for (let x = 0; x < line; x++) {
    const s =
      HALF +
      Math.imul(src[o0 + x] as number, w0) +
      Math.imul(src[o1 + x] as number, w1) +
      Math.imul(src[o2 + x] as number, w2) +
      Math.imul(src[o3 + x] as number, w3) +
      Math.imul(src[o4 + x] as number, w4) +
      Math.imul(src[o5 + x] as number, w5) +
      Math.imul(src[o6 + x] as number, w6) +
      Math.imul(src[o7 + x] as number, w7);
    dst[out + x] = (s | 0) >> PRECISION_BITS;
  }
}

/** Output rows [from, to) from more than 8 source rows each (large downscales): pixel by pixel down the columns. */
function columnsOfMany(
  src: Uint8Array,
  dst: Uint8ClampedArray,
  c: Coefficients,
  width: number,
  from: number,
  to: number,
): void {
  const { first, count, weights, ksize } = c;
  const line = width * 3;
  for (let x = 0; x < width; x++) {
    for (let o = from; o < to; o++) {
      let k = o * ksize;
      const end = k + (count[o] as number);
      let r = HALF;
      let g = HALF;
      let b = HALF;
      for (let at = (first[o] as number) * line + x * 3; k < end; k++, at += line) {
        const w = weights[k] as number;
        r = (r + Math.imul(src[at] as number, w)) | 0;
        g = (g + Math.imul(src[at + 1] as number, w)) | 0;
        b = (b + Math.imul(src[at + 2] as number, w)) | 0;
      }
      const out = o * line + x * 3;
      dst[out] = r >> PRECISION_BITS;
      dst[out + 1] = g >> PRECISION_BITS;
      dst[out + 2] = b >> PRECISION_BITS;
    }
  }
}
