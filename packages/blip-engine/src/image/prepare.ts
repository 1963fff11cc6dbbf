import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BlipError } from '../errors.js';
import { decodeToRgb } from './decode.js';
import { bytesToDecode, type DecodeGate } from './decode-gate.js';
import { readHeader } from './header.js';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './limits.js';
import { toNormalizedChw } from './normalize.js';
import { resampleRgb } from './resample.js';
import { sniffFormat } from './sniff.js';
import type { ImageSpec } from './spec.js';

/** A decoded, validated, resized and normalised image, plus the key of its content. */
export interface PreparedImage {
  /** sha256 hex of the input bytes: the image-embedding cache key. */
  key: string;
  /** Source size as displayed (after EXIF orientation), pixels. */
  width: number;
  height: number;
  /** Detected from the bytes: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif'. */
  format: string;
  /** float32 `[1,3,S,S]`, CHW, normalised. */
  pixels: Float32Array;
  /** Wall time of the whole preparation, ms. */
  preprocessMs: number;
}

/**
 * Bytes → validated, decoded, resized, normalised pixels, the steps of Hugging Face's BlipImageProcessor:
 * 1. size limit on the bytes; 2. format sniffed from the bytes; 3. header size limits before decoding;
 * 4. (through the decode gate, if given) decode to 8-bit RGB + EXIF orientation + alpha on white (CMYK by Pillow's formula); 5. S×S as Pillow's bicubic; 6. rescale, normalise to CHW float32.
 */
export async function prepareImage(
  bytes: Uint8Array,
  spec: ImageSpec,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
  stage: { gate?: DecodeGate; signal?: AbortSignal } = {},
): Promise<PreparedImage> {
  const started = performance.now();
  if (!(bytes instanceof Uint8Array))
    throw new BlipError('INVALID_IMAGE', 'the image must be given as bytes (Uint8Array)');
  if (bytes.length > limits.maxInputBytes) {
    throw new BlipError(
      'IMAGE_TOO_LARGE',
      `image file is ${bytes.length} bytes; at most ${limits.maxInputBytes} are accepted`,
    );
  }
  const format = sniffFormat(bytes);
  const header = await readHeader(bytes, format, limits);
  // Decoding is where memory grows with the pixel count: it waits at the gate until there is room.
  const leave = await stage.gate?.enter(bytesToDecode(header.width, header.height), stage.signal);
  let pixels: Float32Array;
  try {
    const rgb = await decodeToRgb(bytes, header, limits);
    const resized = await resampleRgb(rgb.data, rgb.width, rgb.height, spec.size, spec.size, spec.resample);
    pixels = toNormalizedChw(resized, spec);
  } finally {
    leave?.();
  }
  const key = createHash('sha256').update(bytes).digest('hex');
  return {
    key,
    width: header.width,
    height: header.height,
    format,
    pixels,
    preprocessMs: performance.now() - started,
  };
}
