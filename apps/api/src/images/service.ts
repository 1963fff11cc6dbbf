// Uploads: the engine checks the bytes (type sniffed from the bytes, limits, a bounded decode) and keeps what
// it prepared by content; the API stores the bytes by the same sha256 key and records the image for its owner,
// then its feature vector for picture search when the engine has room (images/vectors.ts).
import type { Engine, EngineLogger } from '@blip/engine';
import type { Config } from '../config.js';
import { ApiError, isBlipError, notFound, toClientError } from '../errors.js';
import type { Metrics } from '../ops/metrics.js';
import type { ConversationRepo } from '../store/conversations.js';
import type { ImageBytes } from '../store/image-bytes.js';
import type { ImageRepo } from '../store/images.js';
import type { ImageRecord } from '../store/types.js';
import type { UploadVectors } from './vectors.js';

/** Checks, stores and deletes images. */
export class ImageService {
  constructor(
    private readonly config: Config,
    private readonly repo: ImageRepo,
    private readonly conversations: ConversationRepo,
    private readonly files: ImageBytes,
    private readonly engine: Engine,
    private readonly metrics: Metrics,
    private readonly vectors: UploadVectors,
  ) {}

  /** Checks an uploaded file and records it for the owner; typed errors name the `file` argument. */
  async upload(owner: string, file: File, logger?: EngineLogger): Promise<ImageRecord> {
    // Duck-typed: yoga's multipart parser hands over its own File class, not the global one.
    if (typeof (file as Partial<File> | null)?.arrayBuffer !== 'function')
      throw new ApiError('BAD_USER_INPUT', 'file must be a multipart file part', 'file');
    // The engine's limit, checked before the bytes are read into memory (the engine checks it again).
    const { maxInputBytes } = this.engine.limits().image;
    if (file.size > maxInputBytes)
      throw new ApiError(
        'IMAGE_TOO_LARGE',
        `file is ${file.size} bytes; the limit is ${maxInputBytes}`,
        'file',
      );
    const bytes = new Uint8Array(await file.arrayBuffer());
    const info = await this.addToEngine(bytes, logger);
    const record = await this.files.locked(info.key, async () => {
      // The row first, then the bytes: a delete racing on another replica either sees this row and keeps the
      // bytes, or removes them before this put writes them again (store/image-bytes.ts).
      const stored = await this.repo.upsert({
        owner,
        sha256: info.key,
        format: info.format,
        mime: info.mime,
        width: info.width,
        height: info.height,
        byteSize: info.byteSize,
        filename: file.name ? file.name.slice(0, this.config.maxFilenameChars) : null,
      });
      await this.files.put(info.key, bytes);
      return stored;
    });
    this.metrics.imageUploads.inc();
    await this.vectors.afterUpload(record, logger); // for picture search: when a slot is free now (images/vectors.ts)
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

  /** The stored bytes of an image (the engine reads them again after its caches forgot the pixels). */
  read(image: Pick<ImageRecord, 'sha256'>): Promise<Uint8Array> {
    return this.files.read(image.sha256);
  }

  /** The engine's check of new bytes; its image refusals name the upload's `file` argument. */
  private async addToEngine(bytes: Uint8Array, logger: EngineLogger | undefined) {
    try {
      return await this.engine.addImage(bytes, { logger });
    } catch (err) {
      if (isBlipError(err) && (err.code === 'INVALID_IMAGE' || err.code === 'IMAGE_TOO_LARGE')) {
        throw new ApiError(err.code, err.message, 'file');
      }
      throw toClientError(err);
    }
  }
}
