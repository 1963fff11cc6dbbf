// Uploads: size check, type sniffed from the bytes, decoded once by the engine, stored by content.
import { LruCache, type PreparedImage } from '@blip/engine';
import type { Config } from '../config.js';
import { ApiError, isBlipError, notFound, toClientError } from '../errors.js';
import type { LoadedModel, ModelRegistry } from '../models/registry.js';
import type { Metrics } from '../ops/metrics.js';
import type { ConversationRepo } from '../store/conversations.js';
import type { ImageBytes } from '../store/image-bytes.js';
import type { ImageRepo } from '../store/images.js';
import type { ImageRecord } from '../store/types.js';
import { sha256Hex } from './files.js';
import { sniffImageType } from './sniff.js';

/** FP16 and INT8 builds of one model preprocess alike, so they share the prepared pixels. */
const preparedKey = (model: LoadedModel, sha256: string) =>
  `${model.baseName}:${model.info.imageSize}:${sha256}`;

/** Checks, stores and prepares images. */
export class ImageService {
  // Decoded, resized, normalised pixels per (model, content): preprocessing runs once per image, not per turn.
  private readonly prepared: LruCache<string, PreparedImage>;

  constructor(
    private readonly config: Config,
    private readonly repo: ImageRepo,
    private readonly conversations: ConversationRepo,
    private readonly files: ImageBytes,
    private readonly models: ModelRegistry,
    private readonly metrics: Metrics,
  ) {
    this.prepared = new LruCache(config.preparedCacheSize);
  }

  /** Checks an uploaded file and records it for the owner; typed errors name the `file` argument. */
  async upload(owner: string, file: File): Promise<ImageRecord> {
    // Duck-typed: yoga's multipart parser hands over its own File class, not the global one.
    if (typeof (file as Partial<File> | null)?.arrayBuffer !== 'function')
      throw new ApiError('BAD_USER_INPUT', 'file must be a multipart file part', 'file');
    if (file.size > this.config.maxUploadBytes) {
      throw new ApiError(
        'IMAGE_TOO_LARGE',
        `file is ${file.size} bytes; the limit is ${this.config.maxUploadBytes}`,
        'file',
      );
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const type = sniffImageType(bytes);
    if (!type) {
      throw new ApiError('INVALID_IMAGE', 'file is not a JPEG, PNG, WebP, GIF, TIFF or AVIF image', 'file');
    }
    const model = this.models.select({});
    const prepared = await this.prepare(model, bytes);
    const sha256 = sha256Hex(bytes);
    this.prepared.set(preparedKey(model, sha256), prepared);
    const record = await this.files.locked(sha256, async () => {
      // The row first, then the bytes: a delete racing on another replica either sees this row and keeps the
      // bytes, or removes them before this put writes them again (store/image-bytes.ts).
      const stored = await this.repo.upsert({
        owner,
        sha256,
        format: type.format,
        mime: type.mime,
        width: prepared.width,
        height: prepared.height,
        byteSize: bytes.byteLength,
        filename: file.name ? file.name.slice(0, this.config.maxFilenameChars) : null,
      });
      await this.files.put(sha256, bytes);
      return stored;
    });
    this.metrics.imageUploads.inc();
    return record;
  }

  /** Deletes one of the owner's images; IMAGE_IN_USE while a conversation is about it. The bytes go with
   * the last owner's row. */
  async delete(owner: string, id: string): Promise<void> {
    const image = await this.repo.get(owner, id);
    if (!image) throw notFound('image', id, 'id');
    const using = await this.conversations.countUsing(id);
    if (using > 0) {
      throw new ApiError(
        'IMAGE_IN_USE',
        `image ${id} is used by ${using} conversation(s); delete them first`,
        'id',
      );
    }
    await this.remove(image);
  }

  /** After a conversation is deleted: its image goes too when no other conversation uses it. */
  async releaseIfUnused(image: ImageRecord): Promise<void> {
    if ((await this.conversations.countUsing(image.id)) === 0) await this.remove(image);
  }

  private remove(image: ImageRecord): Promise<void> {
    return this.files.locked(image.sha256, async () => {
      await this.repo.delete(image.owner, image.id);
      if ((await this.repo.countBySha(image.sha256)) === 0) await this.files.remove(image.sha256);
    });
  }

  /** The image ready for `model`, from the cache or decoded again from the stored bytes. */
  async preparedFor(model: LoadedModel, image: ImageRecord): Promise<PreparedImage> {
    const key = preparedKey(model, image.sha256);
    const cached = this.prepared.get(key);
    if (cached) return cached;
    const prepared = await this.prepare(model, await this.files.read(image.sha256));
    this.prepared.set(key, prepared);
    return prepared;
  }

  /** The stored bytes of an image. */
  read(image: ImageRecord): Promise<Uint8Array> {
    return this.files.read(image.sha256);
  }

  private async prepare(model: LoadedModel, bytes: Uint8Array): Promise<PreparedImage> {
    try {
      return await model.blip.prepareImage(bytes);
    } catch (err) {
      if (isBlipError(err) && (err.code === 'INVALID_IMAGE' || err.code === 'IMAGE_TOO_LARGE')) {
        throw new ApiError(err.code, err.message, 'file');
      }
      throw toClientError(err);
    }
  }
}
