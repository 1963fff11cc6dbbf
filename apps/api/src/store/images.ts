// Image rows: one per (owner, content). The bytes are stored once whoever uploads them (see images/files.ts).
import { newId, nowIso } from '../ids.js';
import type { PageCursor } from './cursor.js';
import { type Db, toCount } from './db.js';
import type { ImageRow } from './schema.js';
import type { ImageRecord } from './types.js';

export function fromImageRow(r: ImageRow): ImageRecord {
  return {
    id: r.id,
    owner: r.owner,
    sha256: r.sha256,
    format: r.format,
    mime: r.mime,
    width: r.width,
    height: r.height,
    byteSize: r.byte_size,
    filename: r.filename,
    createdAt: r.created_at,
  };
}

export type NewImage = Omit<ImageRecord, 'id' | 'createdAt'>;

/** Image records of every owner; each lookup is scoped to one owner. */
export class ImageRepo {
  constructor(private readonly db: Db) {}

  /** The owner's record for this content, made on first upload (the same bytes twice give the same image). */
  async upsert(image: NewImage): Promise<ImageRecord> {
    const record: ImageRecord = { ...image, id: newId(), createdAt: nowIso() };
    // Two replicas may upload the same bytes for the same owner at once: the unique (owner, sha256) decides.
    await this.db
      .insertInto('images')
      .values({
        id: record.id,
        owner: image.owner,
        sha256: image.sha256,
        format: image.format,
        mime: image.mime,
        width: image.width,
        height: image.height,
        byte_size: image.byteSize,
        filename: image.filename,
        created_at: record.createdAt,
      })
      .onConflict((oc) => oc.columns(['owner', 'sha256']).doNothing())
      .execute();
    const row = await this.db
      .selectFrom('images')
      .selectAll()
      .where('owner', '=', image.owner)
      .where('sha256', '=', image.sha256)
      .executeTakeFirstOrThrow();
    return fromImageRow(row);
  }

  /** The owner's image, or undefined when it does not exist or belongs to someone else. */
  async get(owner: string, id: string): Promise<ImageRecord | undefined> {
    const row = await this.db
      .selectFrom('images')
      .selectAll()
      .where('id', '=', id)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return row && fromImageRow(row);
  }

  /** The owner's images among `ids`, by id (ids of others' or of deleted images are absent). */
  async getMany(owner: string, ids: readonly string[]): Promise<Map<string, ImageRecord>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('images')
      .selectAll()
      .where('id', 'in', ids)
      .where('owner', '=', owner)
      .execute();
    return new Map(rows.map((row) => [row.id, fromImageRow(row)]));
  }

  /** Up to `limit` of the owner's images, newest first, after `cursor`. */
  async list(owner: string, limit: number, cursor?: PageCursor): Promise<ImageRecord[]> {
    let query = this.db.selectFrom('images').selectAll().where('owner', '=', owner);
    if (cursor) {
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', cursor.at),
          eb.and([eb('created_at', '=', cursor.at), eb('id', '<', cursor.id)]),
        ]),
      );
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(fromImageRow);
  }

  /** How many images the owner has. */
  async count(owner: string): Promise<number> {
    const row = await this.db
      .selectFrom('images')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('owner', '=', owner)
      .executeTakeFirst();
    return toCount(row?.n);
  }

  /** Deletes the owner's image row; false when it is not there. The caller checks that no conversation uses it. */
  async delete(owner: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('images')
      .where('id', '=', id)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return result.numDeletedRows === 1n;
  }

  /** How many image rows (of any owner) hold these bytes: 0 means the stored bytes can go. */
  async countBySha(sha256: string): Promise<number> {
    const row = await this.db
      .selectFrom('images')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    return toCount(row?.n);
  }
}
