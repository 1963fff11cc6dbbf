// Conversation rows, always read and written on behalf of one owner.
import { newId, nowIso } from '../ids.js';
import type { Db } from './db.js';
import type { ConversationRecord, GenerationSettings } from './types.js';

interface ConversationRow {
  id: string;
  owner: string;
  image_id: string;
  title: string | null;
  settings: string;
  created_at: string;
  updated_at: string;
}

function fromRow(r: ConversationRow): ConversationRecord {
  return {
    id: r.id,
    owner: r.owner,
    imageId: r.image_id,
    title: r.title,
    settings: JSON.parse(r.settings) as GenerationSettings,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Where a page of conversations starts: after this (updatedAt, id), newest first. */
export interface PageCursor {
  updatedAt: string;
  id: string;
}

/** Conversation records, scoped by owner. */
export class ConversationRepo {
  constructor(private readonly db: Db) {}

  /** Makes a conversation about one of the owner's images. */
  create(
    owner: string,
    imageId: string,
    settings: GenerationSettings,
    title: string | null,
  ): ConversationRecord {
    const now = nowIso();
    const record: ConversationRecord = {
      id: newId(),
      owner,
      imageId,
      title,
      settings,
      createdAt: now,
      updatedAt: now,
    };
    this.db
      .prepare(
        `INSERT INTO conversations (id, owner, image_id, title, settings, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(record.id, owner, imageId, title, JSON.stringify(settings), now, now);
    return record;
  }

  /** The owner's conversation, or undefined when missing or someone else's. */
  get(owner: string, id: string): ConversationRecord | undefined {
    const row = this.db
      .prepare<[string, string], ConversationRow>('SELECT * FROM conversations WHERE id = ? AND owner = ?')
      .get(id, owner);
    return row && fromRow(row);
  }

  /** Up to `limit` of the owner's conversations, most recently active first, after `cursor`. */
  list(owner: string, limit: number, cursor?: PageCursor): ConversationRecord[] {
    const rows = cursor
      ? this.db
          .prepare<[string, string, string, string, number], ConversationRow>(
            `SELECT * FROM conversations WHERE owner = ? AND (updated_at < ? OR (updated_at = ? AND id < ?))
             ORDER BY updated_at DESC, id DESC LIMIT ?`,
          )
          .all(owner, cursor.updatedAt, cursor.updatedAt, cursor.id, limit)
      : this.db
          .prepare<[string, number], ConversationRow>(
            'SELECT * FROM conversations WHERE owner = ? ORDER BY updated_at DESC, id DESC LIMIT ?',
          )
          .all(owner, limit);
    return rows.map(fromRow);
  }

  /** How many conversations the owner has. */
  count(owner: string): number {
    const row = this.db
      .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM conversations WHERE owner = ?')
      .get(owner);
    return row?.n ?? 0;
  }

  /** Replaces the conversation's default generation settings; false when it is not the owner's. */
  updateSettings(owner: string, id: string, settings: GenerationSettings): boolean {
    const info = this.db
      .prepare('UPDATE conversations SET settings = ?, updated_at = ? WHERE id = ? AND owner = ?')
      .run(JSON.stringify(settings), nowIso(), id, owner);
    return info.changes === 1;
  }

  /** Marks the conversation active now (it moves to the top of the list). */
  touch(id: string): void {
    this.db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?').run(nowIso(), id);
  }

  /** Deletes the conversation and its turns; false when it is not the owner's. */
  delete(owner: string, id: string): boolean {
    return (
      this.db.prepare('DELETE FROM conversations WHERE id = ? AND owner = ?').run(id, owner).changes === 1
    );
  }
}
