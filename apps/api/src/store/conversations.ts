// Conversation rows, always read and written on behalf of one owner.
import { newId, nowIso } from '../ids.js';
import type { PageCursor } from './cursor.js';
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

  /** Up to `limit` of the owner's conversations, most recently active first, after `cursor`, matching `search`. */
  list(owner: string, limit: number, cursor?: PageCursor, search?: string): ConversationRecord[] {
    const where = filter(owner, search);
    if (cursor) {
      where.sql += ' AND (updated_at < ? OR (updated_at = ? AND id < ?))';
      where.params.push(cursor.at, cursor.at, cursor.id);
    }
    return this.db
      .prepare<unknown[], ConversationRow>(
        `SELECT * FROM conversations WHERE ${where.sql} ORDER BY updated_at DESC, id DESC LIMIT ?`,
      )
      .all(...where.params, limit)
      .map(fromRow);
  }

  /** How many conversations the owner has (that match `search`). */
  count(owner: string, search?: string): number {
    const where = filter(owner, search);
    const row = this.db
      .prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM conversations WHERE ${where.sql}`)
      .get(...where.params);
    return row?.n ?? 0;
  }

  /** Sets or clears the title; false when the conversation is not the owner's. */
  rename(owner: string, id: string, title: string | null): boolean {
    const info = this.db
      .prepare('UPDATE conversations SET title = ?, updated_at = ? WHERE id = ? AND owner = ?')
      .run(title, nowIso(), id, owner);
    return info.changes === 1;
  }

  /** How many conversations are about this image. */
  countUsing(imageId: string): number {
    const row = this.db
      .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM conversations WHERE image_id = ?')
      .get(imageId);
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

/** The owner's rows, and with a search those whose title, questions or answers contain it (case-insensitive). */
function filter(owner: string, search: string | undefined): { sql: string; params: unknown[] } {
  if (!search) return { sql: 'owner = ?', params: [owner] };
  const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return {
    sql: `owner = ? AND (title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM turns t WHERE t.conversation_id = conversations.id
          AND (t.question LIKE ? ESCAPE '\\' OR t.answer LIKE ? ESCAPE '\\')))`,
    params: [owner, pattern, pattern, pattern],
  };
}
