import sharp, { type Metadata } from 'sharp';
import { BlipError } from '../errors.js';
import type { ImageLimits } from './limits.js';
import { ACCEPTED_FORMATS, type ImageFormat } from './sniff.js';

/** What the header says, before any pixel is decoded. */
export interface ImageHeader {
  format: ImageFormat;
  /** Width and height as displayed, i.e. after EXIF orientation, pixels. */
  width: number;
  height: number;
  /** CMYK pixels (JPEG or TIFF): converted to RGB by Pillow's formula rather than through a colour profile. */
  cmyk: boolean;
}

/** Reads the header (no pixel decoding) and refuses images over the size limits before anything large is allocated. */
export async function readHeader(
  bytes: Uint8Array,
  format: ImageFormat,
  limits: ImageLimits,
): Promise<ImageHeader> {
  let meta: Metadata;
  try {
    // limitInputPixels off here only: we want the header's size to give our own IMAGE_TOO_LARGE, not sharp's message.
    meta = await sharp(bytes, { limitInputPixels: false, failOn: 'error' }).metadata();
  } catch (cause) {
    throw new BlipError(
      'INVALID_IMAGE',
      `cannot read the ${format} header: the file is corrupt or not really ${format} (accepted: ${ACCEPTED_FORMATS})`,
      { cause },
    );
  }
  const { width, height } = meta.autoOrient ?? meta;
  if (!width || !height) throw new BlipError('INVALID_IMAGE', `the ${format} header has no width or height`);
  if (width > limits.maxDimension || height > limits.maxDimension) {
    throw new BlipError(
      'IMAGE_TOO_LARGE',
      `image is ${width}×${height} pixels; each side may be at most ${limits.maxDimension}`,
    );
  }
  if (width * height > limits.maxPixels) {
    throw new BlipError(
      'IMAGE_TOO_LARGE',
      `image is ${width}×${height} = ${width * height} pixels; at most ${limits.maxPixels} are accepted`,
    );
  }
  return { format, width, height, cmyk: meta.space === 'cmyk' && meta.channels === 4 };
}
