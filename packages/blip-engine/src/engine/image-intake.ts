// Image intake for every loaded model: new bytes are checked completely once (size, format from the bytes,
// header limits, decode through the bounded gate, resize, normalise), and prepared pixels are kept by content
// sha256 and pixel spec. Callers refer to an image by its key and a loader, so a cache miss re-reads the bytes.
import { createHash } from 'node:crypto';
import { LruCache } from '../embeddings/lru-cache.js';
import { BlipError } from '../errors.js';
import { DecodeGate, type DecodeLimits } from '../image/decode-gate.js';
import { type ImageLimits, type ImageSpec, type PreparedImage, prepareImage } from '../image/index.js';
import type { ImageInfo, ImageRef } from './engine.js';

const MIME: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  avif: 'image/avif',
};

/** Prepared pixels by (spec, content), and the decode gate every decode passes. */
export class ImageIntake {
  readonly gate: DecodeGate;
  private readonly prepared: LruCache<string, Promise<PreparedImage>>;

  constructor(
    readonly limits: ImageLimits,
    decode: DecodeLimits,
    cacheSize: number,
  ) {
    this.gate = new DecodeGate(decode);
    this.prepared = new LruCache(cacheSize);
  }

  /** Checks new bytes completely for `spec` and keeps the pixels; INVALID_IMAGE / IMAGE_TOO_LARGE otherwise. */
  async add(bytes: Uint8Array, spec: ImageSpec): Promise<ImageInfo> {
    if (!(bytes instanceof Uint8Array))
      throw new BlipError('INVALID_IMAGE', 'the image must be given as bytes (Uint8Array)', {
        field: 'image',
      });
    const key = sha256(bytes);
    const image = await this.cached(key, spec, () => this.decode(bytes, spec));
    const mime = MIME[image.format] ?? 'application/octet-stream';
    return {
      key,
      format: image.format,
      mime,
      width: image.width,
      height: image.height,
      byteSize: bytes.length,
    };
  }

  /** The pixels of `ref` for `spec`: from the cache, or re-read with `ref.load()` and decoded (`decoded` true). */
  async pixels(ref: ImageRef, spec: ImageSpec): Promise<{ image: PreparedImage; decoded: boolean }> {
    let decoded = false;
    const image = await this.cached(ref.key, spec, async () => {
      decoded = true;
      const bytes = await ref.load();
      if (sha256(bytes) !== ref.key)
        throw new BlipError('RUNTIME', `the bytes loaded for image ${ref.key} have another sha256`);
      return this.decode(bytes, spec);
    });
    return { image, decoded };
  }

  /** Prepares bytes now, uncached (through the gate): for callers that hand bytes with every call. */
  prepare(bytes: Uint8Array, spec: ImageSpec): Promise<PreparedImage> {
    return this.decode(bytes, spec);
  }

  clear(): void {
    this.prepared.clear();
  }

  /** No caller's signal here: a preparation is shared by everyone asking for the same image at once. */
  private decode(bytes: Uint8Array, spec: ImageSpec): Promise<PreparedImage> {
    return prepareImage(bytes, spec, this.limits, { gate: this.gate });
  }

  /** One preparation per (spec, key) at a time; a failed one is forgotten so it can be retried. */
  private cached(key: string, spec: ImageSpec, make: () => Promise<PreparedImage>): Promise<PreparedImage> {
    const id = `${specKey(spec)}:${key}`;
    let entry = this.prepared.get(id);
    if (!entry) {
      entry = make();
      this.prepared.set(id, entry);
      entry.catch(() => this.prepared.delete(id));
    }
    return entry;
  }
}

/** Models whose pixel specs are equal (FP16 and INT8 builds of one model) share prepared pixels. */
function specKey(spec: ImageSpec): string {
  return JSON.stringify([spec.size, spec.resample, spec.rescale_factor, spec.mean, spec.std]);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
