// The content-addressed image store on disk: <dir>/<first two hex>/<sha256>. The same bytes are kept once.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type ImageBytes, KeyedLocks } from '../store/image-bytes.js';

/** Image bytes on disk, named by their hash. */
export class ImageFiles implements ImageBytes {
  // Store and delete of the same bytes take turns, so a delete cannot remove a file an upload just counted on.
  private readonly locks = new KeyedLocks();

  constructor(private readonly dir: string) {}

  /** Runs `fn` when no other locked call for these bytes is running. */
  locked<T>(sha256: string, fn: () => Promise<T> | T): Promise<T> {
    return this.locks.run(sha256, fn);
  }

  /** Removes the stored bytes (no error when they are already gone). */
  async remove(sha256: string): Promise<void> {
    await rm(this.path(sha256), { force: true });
  }

  /** Where the bytes with this hash live; anything but 64 lowercase hex digits is refused (never a path). */
  path(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Stores the bytes unless they are already there; returns true when it wrote them. */
  async put(sha256: string, bytes: Uint8Array): Promise<boolean> {
    const target = this.path(sha256);
    if (await this.has(sha256)) return false;
    await mkdir(dirname(target), { recursive: true });
    // Write aside then rename: a reader never sees half a file, two writers of the same bytes both succeed.
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, target);
    return true;
  }

  /** True when the bytes with this hash are stored. */
  async has(sha256: string): Promise<boolean> {
    return stat(this.path(sha256)).then(
      () => true,
      () => false,
    );
  }

  /** The stored bytes. */
  async read(sha256: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(this.path(sha256)));
  }
}
