// Pillow's NEAREST resize is not a convolution: Image.resize sends it to ImagingScaleAffine (Geometry.c), which
// walks the source in steps of in/out starting half a step in, truncating each position to an index.

/** Source index of every output position, accumulated in doubles exactly as Pillow does (not multiplied). */
function nearestIndices(inSize: number, outSize: number): Int32Array {
  const step = inSize / outSize;
  const indices = new Int32Array(outSize);
  let position = step * 0.5;
  for (let o = 0; o < outSize; o++) {
    indices[o] = Math.min(inSize - 1, Math.trunc(position));
    position += step;
  }
  return indices;
}

/** Resizes interleaved 8-bit RGB (HWC) to outW×outH by Pillow's nearest-neighbour rule. */
export function resampleNearest(
  rgb: Uint8Array,
  width: number,
  height: number,
  outW: number,
  outH: number,
): Uint8Array {
  const xs = nearestIndices(width, outW);
  const ys = nearestIndices(height, outH);
  const out = new Uint8Array(outW * outH * 3);
  for (let y = 0; y < outH; y++) {
    const row = (ys[y] as number) * width * 3;
    for (let x = 0; x < outW; x++) {
      const from = row + (xs[x] as number) * 3;
      const to = (y * outW + x) * 3;
      out[to] = rgb[from] as number;
      out[to + 1] = rgb[from + 1] as number;
      out[to + 2] = rgb[from + 2] as number;
    }
  }
  return out;
}
