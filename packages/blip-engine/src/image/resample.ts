// Pillow's convolution resampler (Resample.c), re-done in TypeScript so the pixels equal Hugging Face's exactly:
// transformers 5.23 resizes with PIL's Image.resize(BICUBIC) on 8-bit RGB. sharp's cubic kernel matched PIL to
// ~0.1/255 on downscales but was off by up to 175/255 near edges on upscales (different pixel-centre handling).

import { resampleNearest } from './nearest.js';
import { inSlices } from './slices.js';

/** Filter shape and half-width (in source pixels at scale 1) for each manifest resample name. */
const FILTERS = {
  /** Keys' cubic with a = −0.5, as Pillow's BICUBIC. */
  bicubic: {
    support: 2,
    weight(x: number): number {
      const a = -0.5;
      const t = Math.abs(x);
      if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
      return 0;
    },
  },
  /** Triangle, as Pillow's BILINEAR. */
  bilinear: { support: 1, weight: (x: number): number => Math.max(0, 1 - Math.abs(x)) },
} as const;

/** The manifest's resample names: the two convolution filters, and 'nearest' (see nearest.ts). */
export type ResampleFilter = keyof typeof FILTERS | 'nearest';

/** Pillow keeps 22 fraction bits for 8-bit images: 32 − 8 − 2. */
const PRECISION_BITS = 22;

/** Per output pixel: first source index, tap count, and fixed-point weights (ksize per output). */
interface Coefficients {
  first: Int32Array;
  count: Int32Array;
  weights: Int32Array;
  ksize: number;
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc: the filter widens by the scale when shrinking (antialiasing). */
function coefficients(inSize: number, outSize: number, filter: keyof typeof FILTERS): Coefficients {
  const { support: baseSupport, weight } = FILTERS[filter];
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = baseSupport * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const taps = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let total = 0;
    for (let x = 0; x < xmax; x++) {
      taps[x] = weight((x + xmin - center + 0.5) / filterScale);
      total += taps[x] as number;
    }
    for (let x = 0; x < xmax; x++) {
      const w = total !== 0 ? (taps[x] as number) / total : (taps[x] as number);
      // C's (int) cast truncates toward zero after the ±0.5: round half away from zero.
      weights[xx * ksize + x] = Math.trunc(
        w < 0 ? -0.5 + w * 2 ** PRECISION_BITS : 0.5 + w * 2 ** PRECISION_BITS,
      );
    }
    first[xx] = xmin;
    count[xx] = xmax;
  }
  return { first, count, weights, ksize };
}

/** Pillow's clip8: drop the fraction bits, clamp to 0..255. */
function clip8(sum: number): number {
  if (sum <= 0) return 0;
  const v = sum >> PRECISION_BITS;
  return Math.min(v, 255);
}

interface Geometry {
  /** Distance between the first pixels of two lines, and between two taps of one line, in bytes. */
  srcLine: number;
  srcTap: number;
  /** Distance between two output lines, and between two outputs of one line, in bytes. */
  dstLine: number;
  dstPixel: number;
}

/** One 1-D pass over lines [from, to) of interleaved 3-channel pixels. */
function pass(
  src: Uint8Array,
  dst: Uint8Array,
  c: Coefficients,
  outSize: number,
  g: Geometry,
  from: number,
  to: number,
): void {
  const { first, count, weights, ksize } = c;
  const { srcLine, srcTap, dstLine, dstPixel } = g;
  const half = 1 << (PRECISION_BITS - 1);
  for (let line = from; line < to; line++) {
    const lineAt = line * srcLine;
    let out = line * dstLine;
    for (let o = 0; o < outSize; o++, out += dstPixel) {
      const k0 = o * ksize;
      const kEnd = k0 + (count[o] as number);
      let at = lineAt + (first[o] as number) * srcTap;
      // Pillow sums in a 32-bit int; `| 0` keeps V8 on integer arithmetic (the sums fit, as they do in C).
      let r = half;
      let gr = half;
      let b = half;
      for (let k = k0; k < kEnd; k++, at += srcTap) {
        const w = weights[k] as number;
        r = (r + (src[at] as number) * w) | 0;
        gr = (gr + (src[at + 1] as number) * w) | 0;
        b = (b + (src[at + 2] as number) * w) | 0;
      }
      dst[out] = clip8(r);
      dst[out + 1] = clip8(gr);
      dst[out + 2] = clip8(b);
    }
  }
}

/** Multiply-adds per event-loop turn (~5–10 ms here): a 12-megapixel photo must not stall other requests for a second. */
const WORK_PER_TURN = 2_000_000;

/** Runs a pass over `lines` lines in slices of about WORK_PER_TURN multiply-adds, yielding between slices. */
function passInSlices(
  src: Uint8Array,
  dst: Uint8Array,
  c: Coefficients,
  outSize: number,
  lines: number,
  g: Geometry,
): Promise<void> {
  const perLine = Math.max(1, outSize * c.ksize * 3);
  return inSlices(lines, WORK_PER_TURN / perLine, (from, to) => pass(src, dst, c, outSize, g, from, to));
}

/** Horizontal pass over `rows` rows of a width-wide image → outW wide. */
async function horizontal(
  src: Uint8Array,
  width: number,
  rows: number,
  c: Coefficients,
  outW: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(rows * outW * 3);
  await passInSlices(src, out, c, outW, rows, {
    srcLine: width * 3,
    srcTap: 3,
    dstLine: outW * 3,
    dstPixel: 3,
  });
  return out;
}

/** Vertical pass over every column of a width-wide image → outH tall (each column is a "line", taps walk down rows). */
async function vertical(src: Uint8Array, width: number, c: Coefficients, outH: number): Promise<Uint8Array> {
  const out = new Uint8Array(width * outH * 3);
  await passInSlices(src, out, c, outH, width, {
    srcLine: 3,
    srcTap: width * 3,
    dstLine: 3,
    dstPixel: width * 3,
  });
  return out;
}

/**
 * Pillow 13 resizes vertically first when the height shrinks by more than twice as many pixels as the width does
 * (found by comparing both orders with Pillow's own output on 250 random size pairs: no exception; ties go
 * horizontal). The order matters because each pass rounds to 8 bits.
 */
export function verticalFirst(width: number, height: number, outW: number, outH: number): boolean {
  return outH < height && height - outH > 2 * (width - outW);
}

/**
 * Resizes interleaved 8-bit RGB (HWC) to outW×outH exactly as Pillow's Image.resize does for this filter:
 * two 1-D passes, each rounded to 8 bits, in Pillow's order; horizontal-first reads only the rows the vertical
 * pass needs (Pillow's ybox_first..ybox_last). Yields to the event loop every few milliseconds of work.
 */
export async function resampleRgb(
  rgb: Uint8Array,
  width: number,
  height: number,
  outW: number,
  outH: number,
  filter: ResampleFilter,
): Promise<Uint8Array> {
  if (rgb.length !== width * height * 3)
    throw new RangeError(`expected ${width * height * 3} bytes, got ${rgb.length}`);
  if (width === outW && height === outH) return rgb.slice();
  if (filter === 'nearest') return resampleNearest(rgb, width, height, outW, outH);
  if (width === outW) return vertical(rgb, width, coefficients(height, outH, filter), outH);
  if (height === outH) return horizontal(rgb, width, height, coefficients(width, outW, filter), outW);
  const horiz = coefficients(width, outW, filter);
  const vert = coefficients(height, outH, filter);
  if (verticalFirst(width, height, outW, outH))
    return horizontal(await vertical(rgb, width, vert, outH), width, outH, horiz, outW);
  const rowFirst = vert.first[0] as number;
  const rowEnd = (vert.first[outH - 1] as number) + (vert.count[outH - 1] as number);
  for (let i = 0; i < outH; i++) vert.first[i] = (vert.first[i] as number) - rowFirst;
  const rows = await horizontal(rgb.subarray(rowFirst * width * 3), width, rowEnd - rowFirst, horiz, outW);
  return vertical(rows, outW, vert, outH);
}
