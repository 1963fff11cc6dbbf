/**
 * Interleaved 8-bit RGBA → RGB with the alpha composited onto white using Pillow's integer arithmetic
 * (AlphaComposite.c, 7 fraction bits), as transformers' `convert_to_rgb` does: `alpha_composite(white, image)`.
 */
export function compositeOnWhite(rgba: Uint8Array): Uint8Array {
  const pixels = rgba.length / 4;
  const out = new Uint8Array(pixels * 3);
  // With an opaque white background Pillow's coefficients reduce to a·128 and (255 − a)·128.
  const div255 = (v: number): number => (((v >> 8) + v) >> 8) >> 7;
  for (let i = 0; i < pixels; i++) {
    const a = rgba[i * 4 + 3] as number;
    for (let c = 0; c < 3; c++) {
      const s = rgba[i * 4 + c] as number;
      out[i * 3 + c] = a === 0 ? 255 : div255(s * a * 128 + 255 * (255 - a) * 128 + (0x80 << 7));
    }
  }
  return out;
}
