// The stand-in's image-text "heads": no weights, so vectors come from what the test says (or, by default, from
// a hash of the image key / the text's words), and a match probability from their cosine. The test decides the
// ranking it expects; the engine's real heads are proven against Hugging Face in src/image-text/*.test.ts.
import { createHash } from 'node:crypto';

/** Feature length of the stand-in's vectors. */
export const STAND_IN_FEATURE_SIZE = 8;

/** How a test sets the stand-in's vectors: by image key and by text (missing ones are hashed). */
export interface StandInFeatures {
  image?: (key: string) => Float32Array | undefined;
  text?: (text: string) => Float32Array | undefined;
}

/** Unit-length copy of `values` (a zero vector stays zero). */
export function unit(values: ArrayLike<number>): Float32Array {
  const v = Float32Array.from(values);
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

/** A deterministic unit vector from a string (sha256 bytes centred on zero). */
export function hashedVector(seed: string, size = STAND_IN_FEATURE_SIZE): Float32Array {
  const bytes = createHash('sha256').update(seed).digest();
  return unit(Array.from({ length: size }, (_, i) => (bytes[i % bytes.length] as number) - 127.5));
}

/** A text's stand-in vector: the sum of its words' hashed vectors, so shared words make texts similar. */
export function wordsVector(text: string, size = STAND_IN_FEATURE_SIZE): Float32Array {
  const sum = new Float32Array(size);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    hashedVector(word, size).forEach((x, i) => {
      sum[i] = (sum[i] as number) + x;
    });
  }
  return unit(sum);
}
