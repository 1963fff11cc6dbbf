import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { BlipError } from '../errors.js';
import type { ImageHeader } from './header.js';
import type { ImageLimits } from './limits.js';
import { cmykToRgb, compositeOnWhite } from './to-rgb.js';

/** Interleaved 8-bit sRGB pixels at the source's displayed size. */
export interface RgbImage {
  /** HWC, width·height·3 bytes. */
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Decodes to 8-bit RGB at full size with sharp: first frame only → EXIF orientation → 8-bit RGB as Pillow reads
 * it (stored values; embedded profiles ignored) → alpha or palette transparency composited on white, or CMYK
 * converted by Pillow's formula, as transformers' `convert_to_rgb` does.
 */
export async function decodeToRgb(
  bytes: Uint8Array,
  header: ImageHeader,
  limits: ImageLimits,
): Promise<RgbImage> {
  const image = sharp(bytes, {
    failOn: 'error', // truncated or corrupt data is an error, never a grey fill
    limitInputPixels: limits.maxPixels, // second guard in case a header lied
    pages: 1,
    page: 0,
  })
    .rotate()
    // Embedded ICC profiles are not applied: Pillow ignores them, so Hugging Face's pixels are the stored values.
    .keepIccProfile();
  const pipeline = header.cmyk
    ? image.pipelineColourspace('cmyk').toColourspace('cmyk')
    : image.toColourspace('srgb');
  const { data, info } = await run(pipeline.raw({ depth: 'uchar' }), limits);
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const size = { width: info.width, height: info.height };
  if (header.cmyk && info.channels === 4) return { data: await cmykToRgb(pixels), ...size };
  if (info.channels === 3) return { data: pixels, ...size };
  if (info.channels === 4) return { data: await compositeOnWhite(pixels), ...size };
  throw new BlipError('INVALID_IMAGE', `unexpected ${info.channels}-channel image after conversion to RGB`);
}

/** Runs the sharp pipeline; its failures become INVALID_IMAGE (or IMAGE_TOO_LARGE for its pixel limit). */
async function run(pipeline: Sharp, limits: ImageLimits): Promise<{ data: Buffer; info: OutputInfo }> {
  try {
    return await pipeline.toBuffer({ resolveWithObject: true });
  } catch (cause) {
    const why = cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause);
    if (/pixel limit/i.test(why)) {
      throw new BlipError('IMAGE_TOO_LARGE', `image has more than ${limits.maxPixels} pixels`, { cause });
    }
    throw new BlipError('INVALID_IMAGE', `the image data is corrupt or truncated: ${why}`, { cause });
  }
}
