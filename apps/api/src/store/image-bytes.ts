// Where image bytes live, by content (sha256): a local folder (images/files.ts, the default) or a table of the
// store's database (IMAGE_STORE=database), which every replica sharing a PostgreSQL sees.
import type { Db } from './db.js';

/** Content-addressed image bytes. */
export interface ImageBytes {
  /** Stores the bytes unless they are there; true when it wrote them. Call after the image row is written. */
  put(sha256: string, bytes: Uint8Array): Promise<boolean>;
  has(sha256: string): Promise<boolean>;
  /** The bytes; throws when they are not stored. */
  read(sha256: string): Promise<Uint8Array>;
  /** Removes the bytes once no image row holds them. */
  remove(sha256: string): Promise<void>;
  /** Runs `fn` alone among this process's calls for the same bytes (an upload and a delete take turns). */
  locked<T>(sha256: string, fn: () => Promise<T> | T): Promise<T>;
}

/** Calls for the same key, one after another (within this process); a failed call does not stop the next. Both
 * stores use it so an upload and a delete of the same bytes take turns. */
export class KeyedLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => {});
    this.tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key); // the last in line cleans up
    }
  }

  /** Keys with a call running or waiting (0 when idle: nothing is kept for keys no longer used). */
  get size(): number {
    return this.tails.size;
  }
}

/** Image bytes in the `image_bytes` table (bytea on PostgreSQL, blob on SQLite). */
export class DatabaseImageBytes implements ImageBytes {
  private readonly locks = new KeyedLocks();

  constructor(private readonly db: Db) {}

  async put(sha256: string, bytes: Uint8Array): Promise<boolean> {
    const result = await this.db
      .insertInto('image_bytes')
      .values({ sha256, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async has(sha256: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('image_bytes')
      .select('sha256')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    return row !== undefined;
  }

  async read(sha256: string): Promise<Uint8Array> {
    const row = await this.db
      .selectFrom('image_bytes')
      .select('bytes')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    if (!row) throw new Error(`no stored bytes for ${sha256}`);
    return new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
  }

  /** One statement that deletes only while no image row (of any replica's upload) holds the bytes. Uploads
   * write their row before the bytes, so an upload racing this either is seen here or writes the bytes after. */
  async remove(sha256: string): Promise<void> {
    await this.db
      .deleteFrom('image_bytes')
      .where('sha256', '=', sha256)
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('images').select('images.id').where('images.sha256', '=', sha256))),
      )
      .execute();
  }

  locked<T>(sha256: string, fn: () => Promise<T> | T): Promise<T> {
    return this.locks.run(sha256, fn);
  }
}
