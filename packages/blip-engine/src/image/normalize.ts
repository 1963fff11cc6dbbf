import type { ImageSpec } from './spec.js';

/**
 * Interleaved 8-bit RGB (HWC) → float32 CHW `[1,3,S,S]`: value × rescale_factor, then (x − mean[c]) / std[c].
 * Planar output is what the vision model's `pixel_values` input wants.
 */
export function toNormalizedChw(rgb: Uint8Array, spec: ImageSpec): Float32Array {
  const plane = spec.size * spec.size;
  if (rgb.length !== plane * 3) throw new RangeError(`expected ${plane * 3} bytes of RGB, got ${rgb.length}`);
  const out = new Float32Array(plane * 3);
  for (let c = 0; c < 3; c++) {
    // One lookup table per channel: 256 possible inputs, so the per-pixel work is a single load.
    const table = new Float32Array(256);
    const mean = spec.mean[c] as number;
    const std = spec.std[c] as number;
    for (let v = 0; v < 256; v++) table[v] = (v * spec.rescale_factor - mean) / std;
    const base = c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = table[rgb[i * 3 + c] as number] as number;
  }
  return out;
}
