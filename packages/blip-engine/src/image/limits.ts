/** Bounds on what an uploaded image may cost before and while it is decoded. */
export interface ImageLimits {
  /** Largest accepted file, bytes. */
  maxInputBytes: number;
  /** Largest accepted width × height, read from the header before decoding (decompression-bomb guard). */
  maxPixels: number;
  /** Largest accepted width or height, pixels. */
  maxDimension: number;
}

/** Defaults: 20 MiB files, 40 megapixels, 12000 px per side. */
export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = Object.freeze({
  maxInputBytes: 20 * 1024 * 1024,
  maxPixels: 40_000_000,
  maxDimension: 12_000,
});
