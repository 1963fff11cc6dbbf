// Pillow's convolution resampler (Resample.c), re-done in TypeScript so the pixels equal Hugging Face's exactly:
// transformers 5.23 resizes with PIL's Image.resize(BICUBIC) on 8-bit RGB. sharp's cubic kernel matched PIL to
// ~0.1/255 on downscales but was off by up to 175/255 near edges on upscales (different pixel-centre handling).

import { resampleNearest } from './nearest.js';
import { horizontalRows } from './resample-horizontal.js';
import { type Coefficients, PRECISION_BITS } from './resample-kernels.js';
import { verticalRows } from './resample-vertical.js';
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

/** Multiply-adds per event-loop turn (~5–10 ms here): a 12-megapixel photo must not stall other requests for a second. */
const WORK_PER_TURN = 2_000_000;

/** Horizontal pass over `rows` rows of a width-wide image → outW wide. */
async function horizontal(
  src: Uint8Array,
  width: number,
  rows: number,
  c: Coefficients,
  outW: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(rows * outW * 3);
  const perRow = WORK_PER_TURN / Math.max(1, outW * c.ksize * 3);
  await inSlices(rows, perRow, (from, to) => horizontalRows(src, out, c, width, outW, from, to));
  return out;
}

/** Vertical pass of a width-wide image → outH tall, output row by output row. */
async function vertical(src: Uint8Array, width: number, c: Coefficients, outH: number): Promise<Uint8Array> {
  const out = new Uint8Array(width * outH * 3);
  const perRow = WORK_PER_TURN / Math.max(1, width * c.ksize * 3);
  await inSlices(outH, perRow, (from, to) => verticalRows(src, out, c, width, from, to));
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
