import { BlipError } from '../errors.js';

/** The manifest's `image` block: how the model wants its pixels (snake_case keys as the manifest writes them). */
export interface ImageSpec {
  /** Output side S: the image is resized to S×S, aspect ratio not kept. */
  size: number;
  /** Resampling filter; Hugging Face's BLIP uses 'bicubic'. */
  resample: 'bicubic' | 'bilinear' | 'nearest';
  /** Multiplies 8-bit values before normalising, normally 1/255. */
  rescale_factor: number;
  /** Per-channel mean (R, G, B) subtracted after rescaling. */
  mean: [number, number, number];
  /** Per-channel standard deviation (R, G, B) divided by after subtracting the mean. */
  std: [number, number, number];
}

const RESAMPLES = new Set(['bicubic', 'bilinear', 'nearest']);

/** Checks a manifest image block and returns it typed; a bad block is a MODEL_INVALID error naming the field. */
export function parseImageSpec(raw: unknown): ImageSpec {
  const spec = raw as Partial<ImageSpec> | null;
  const fail = (field: string, rule: string): never => {
    throw new BlipError('MODEL_INVALID', `manifest image.${field} ${rule}`, { field: `image.${field}` });
  };
  if (typeof spec !== 'object' || spec === null) fail('', 'must be an object');
  const s = spec as Partial<ImageSpec>;
  if (!Number.isInteger(s.size) || (s.size as number) < 1 || (s.size as number) > 4096)
    fail('size', 'must be an integer in 1..4096');
  if (typeof s.resample !== 'string' || !RESAMPLES.has(s.resample))
    fail('resample', `must be one of ${[...RESAMPLES].join(', ')}`);
  if (typeof s.rescale_factor !== 'number' || !(s.rescale_factor > 0))
    fail('rescale_factor', 'must be a positive number');
  for (const key of ['mean', 'std'] as const) {
    const v = s[key];
    if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      fail(key, 'must be three finite numbers (R, G, B)');
    }
  }
  if (!(s.std as number[]).every((x) => x > 0)) fail('std', 'must be positive');
  return s as ImageSpec;
}
