import { inSlices } from './slices.js';

/** Pixels converted per event-loop turn: a 40-megapixel upload must not hold the loop for its whole length. */
const PIXELS_PER_TURN = 1_000_000;

/** Pillow's rounded division by 255 (SHIFTFORDIV255). */
const div255 = (v: number): number => ((v >> 8) + v) >> 8;

/**
 * Interleaved 8-bit RGBA → RGB with the alpha composited onto white using Pillow's integer arithmetic
 * (AlphaComposite.c, 7 fraction bits), as transformers' `convert_to_rgb` does: `alpha_composite(white, image)`.
 */
export async function compositeOnWhite(rgba: Uint8Array): Promise<Uint8Array> {
  const out = new Uint8Array((rgba.length / 4) * 3);
  await inSlices(rgba.length / 4, PIXELS_PER_TURN, (from, to) => {
    for (let i = from; i < to; i++) {
      const a = rgba[i * 4 + 3] as number;
      for (let c = 0; c < 3; c++) {
        const s = rgba[i * 4 + c] as number;
        // With an opaque white background Pillow's coefficients reduce to a·128 and (255 − a)·128.
        out[i * 3 + c] = a === 0 ? 255 : div255(s * a * 128 + 255 * (255 - a) * 128 + (0x80 << 7)) >> 7;
      }
    }
  });
  return out;
}

/**
 * Interleaved 8-bit CMYK → RGB by Pillow's formula (Convert.c cmyk2rgb: v = (255 − k) − c·(255 − k)/255), which is
 * what Hugging Face's processor gets from `image.convert("RGB")`; no colour profile is involved.
 */
export async function cmykToRgb(cmyk: Uint8Array): Promise<Uint8Array> {
  const out = new Uint8Array((cmyk.length / 4) * 3);
  await inSlices(cmyk.length / 4, PIXELS_PER_TURN, (from, to) => {
    for (let i = from; i < to; i++) {
      const nk = 255 - (cmyk[i * 4 + 3] as number);
      for (let c = 0; c < 3; c++) {
        const v = nk - div255((cmyk[i * 4 + c] as number) * nk + 128);
        out[i * 3 + c] = Math.max(0, v);
      }
    }
  });
  return out;
}
