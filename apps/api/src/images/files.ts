// The content-addressed image store on disk: <dir>/<first two hex>/<sha256>. The same bytes are kept once.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageBytes } from '../store/image-bytes.js';

/** Hex sha256 of the bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Image bytes on disk, named by their hash. */
export class ImageFiles implements ImageBytes {
  // Store and delete of the same bytes take turns, so a delete cannot remove a file an upload just counted on.
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly dir: string) {}

  /** Runs `fn` when no other locked call for these bytes is running. */
  async locked<T>(sha256: string, fn: () => Promise<T> | T): Promise<T> {
    const previous = this.locks.get(sha256) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => {});
    this.locks.set(sha256, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(sha256) === tail) this.locks.delete(sha256);
    }
  }

  /** Removes the stored bytes (no error when they are already gone). */
  async remove(sha256: string): Promise<void> {
    await rm(this.path(sha256), { force: true });
  }

  /** Where the bytes with this hash live. */
  path(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Stores the bytes unless they are already there; returns true when it wrote them. */
  async put(sha256: string, bytes: Uint8Array): Promise<boolean> {
    const target = this.path(sha256);
    if (await this.has(sha256)) return false;
    await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
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
