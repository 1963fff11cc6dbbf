import type { ImageSpec } from './spec.js';

/**
 * Interleaved 8-bit RGB (HWC) → float32 CHW `[1,3,S,S]`: value × rescale_factor, then (x − mean[c]) / std[c].
 * Planar output is what the vision model's `pixel_values` input wants.
 */
export function toNormalizedChw(rgb: Uint8Array, spec: ImageSpec): Float32Array {
  const plane = spec.size * spec.size;
  if (rgb.length !== plane * 3) throw new RangeError(`expected ${plane * 3} bytes of RGB, got ${rgb.length}`);
  const out = new Float32Array(plane * 3);
  // One lookup table per channel (256 possible inputs, so the per-pixel work is a load), then one pass over
  // the pixels writing all three planes: three strided passes took ~1.3 ms at 384², this ~0.5.
  const [t0, t1, t2] = [0, 1, 2].map((c) => {
    const table = new Float32Array(256);
    const mean = spec.mean[c] as number;
    const std = spec.std[c] as number;
    for (let v = 0; v < 256; v++) table[v] = (v * spec.rescale_factor - mean) / std;
    return table;
  }) as [Float32Array, Float32Array, Float32Array];
  for (let i = 0, at = 0; i < plane; i++, at += 3) {
    out[i] = t0[rgb[at] as number] as number;
    out[plane + i] = t1[rgb[at + 1] as number] as number;
    out[2 * plane + i] = t2[rgb[at + 2] as number] as number;
  }
  return out;
}
