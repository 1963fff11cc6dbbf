// Image rows: one per (owner, content). The bytes are stored once on disk whoever uploads them.
import { newId, nowIso } from '../ids.js';
import type { PageCursor } from './cursor.js';
import type { Db } from './db.js';
import type { ImageRecord } from './types.js';

interface ImageRow {
  id: string;
  owner: string;
  sha256: string;
  format: string;
  mime: string;
  width: number;
  height: number;
  byte_size: number;
  filename: string | null;
  created_at: string;
}

function fromRow(r: ImageRow): ImageRecord {
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
  upsert(image: NewImage): ImageRecord {
    const existing = this.db
      .prepare<[string, string], ImageRow>('SELECT * FROM images WHERE owner = ? AND sha256 = ?')
      .get(image.owner, image.sha256);
    if (existing) return fromRow(existing);
    const record: ImageRecord = { ...image, id: newId(), createdAt: nowIso() };
    this.db
      .prepare(
        `INSERT INTO images (id, owner, sha256, format, mime, width, height, byte_size, filename, created_at)
         VALUES (@id, @owner, @sha256, @format, @mime, @width, @height, @byteSize, @filename, @createdAt)`,
      )
      .run(record);
    return record;
  }

  /** The owner's image, or undefined when it does not exist or belongs to someone else. */
  get(owner: string, id: string): ImageRecord | undefined {
    const row = this.db
      .prepare<[string, string], ImageRow>('SELECT * FROM images WHERE id = ? AND owner = ?')
      .get(id, owner);
    return row && fromRow(row);
  }

  /** Up to `limit` of the owner's images, newest first, after `cursor`. */
  list(owner: string, limit: number, cursor?: PageCursor): ImageRecord[] {
    const rows = cursor
      ? this.db
          .prepare<[string, string, string, string, number], ImageRow>(
            `SELECT * FROM images WHERE owner = ? AND (created_at < ? OR (created_at = ? AND id < ?))
             ORDER BY created_at DESC, id DESC LIMIT ?`,
          )
          .all(owner, cursor.at, cursor.at, cursor.id, limit)
      : this.db
          .prepare<[string, number], ImageRow>(
            'SELECT * FROM images WHERE owner = ? ORDER BY created_at DESC, id DESC LIMIT ?',
          )
          .all(owner, limit);
    return rows.map(fromRow);
  }

  /** How many images the owner has. */
  count(owner: string): number {
    const row = this.db
      .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM images WHERE owner = ?')
      .get(owner);
    return row?.n ?? 0;
  }

  /** Deletes the owner's image row; false when it is not there. The caller checks that no conversation uses it. */
  delete(owner: string, id: string): boolean {
    return this.db.prepare('DELETE FROM images WHERE id = ? AND owner = ?').run(id, owner).changes === 1;
  }

  /** How many image rows (of any owner) hold these bytes: 0 means the stored file can go. */
  countBySha(sha256: string): number {
    const row = this.db
      .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM images WHERE sha256 = ?')
      .get(sha256);
    return row?.n ?? 0;
  }
}
