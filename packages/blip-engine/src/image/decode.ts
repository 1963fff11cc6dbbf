import sharp, { type OutputInfo } from 'sharp';
import { BlipError } from '../errors.js';
import { compositeOnWhite } from './composite.js';
import type { ImageLimits } from './limits.js';

/** Interleaved 8-bit sRGB pixels at the source's displayed size. */
export interface RgbImage {
  /** HWC, width·height·3 bytes. */
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Decodes to 8-bit RGB at full size with sharp: first frame only → EXIF orientation → any colour space or bit
 * depth to 8-bit RGB (stored values, as Pillow reads them) → alpha (or palette transparency) composited on white
 * as transformers' `convert_to_rgb` does.
 */
export async function decodeToRgb(bytes: Uint8Array, limits: ImageLimits): Promise<RgbImage> {
  const pipeline = sharp(bytes, {
    failOn: 'error', // truncated or corrupt data is an error, never a grey fill
    limitInputPixels: limits.maxPixels, // second guard in case a header lied
    pages: 1,
    page: 0,
  })
    .rotate()
    // Embedded RGB/grey ICC profiles are not applied: Pillow ignores them, so Hugging Face's pixels are the stored
    // values. CMYK still goes through a profile to sRGB (there is no other way to get RGB from it).
    .keepIccProfile()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' });
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await pipeline.toBuffer({ resolveWithObject: true });
  } catch (cause) {
    const why = cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause);
    if (/pixel limit/i.test(why)) {
      throw new BlipError('IMAGE_TOO_LARGE', `image has more than ${limits.maxPixels} pixels`, { cause });
    }
    throw new BlipError('INVALID_IMAGE', `the image data is corrupt or truncated: ${why}`, { cause });
  }
  const { data, info } = decoded;
  const bytesOut = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (info.channels === 3) return { data: bytesOut, width: info.width, height: info.height };
  if (info.channels === 4)
    return { data: await compositeOnWhite(bytesOut), width: info.width, height: info.height };
  throw new BlipError('INVALID_IMAGE', `unexpected ${info.channels}-channel image after conversion to sRGB`);
}
