/** Pixels composited per event-loop turn: a 40-megapixel RGBA upload must not hold the loop for its whole length. */
const PIXELS_PER_TURN = 1_000_000;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Pillow's rounded division by 255 (SHIFTFORDIV255) followed by dropping its 7 fraction bits. */
const div255 = (v: number): number => (((v >> 8) + v) >> 8) >> 7;

/** Composites pixels [from, to) of `rgba` into `out`. */
function compositeRange(rgba: Uint8Array, out: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const a = rgba[i * 4 + 3] as number;
    for (let c = 0; c < 3; c++) {
      const s = rgba[i * 4 + c] as number;
      // With an opaque white background Pillow's coefficients reduce to a·128 and (255 − a)·128.
      out[i * 3 + c] = a === 0 ? 255 : div255(s * a * 128 + 255 * (255 - a) * 128 + (0x80 << 7));
    }
  }
}

/**
 * Interleaved 8-bit RGBA → RGB with the alpha composited onto white using Pillow's integer arithmetic
 * (AlphaComposite.c, 7 fraction bits), as transformers' `convert_to_rgb` does: `alpha_composite(white, image)`.
 */
export async function compositeOnWhite(rgba: Uint8Array): Promise<Uint8Array> {
  const pixels = rgba.length / 4;
  const out = new Uint8Array(pixels * 3);
  for (let from = 0; from < pixels; from += PIXELS_PER_TURN) {
    if (from > 0) await nextTurn();
    compositeRange(rgba, out, from, Math.min(pixels, from + PIXELS_PER_TURN));
  }
  return out;
}
