// Conversation rows, always read and written on behalf of one owner.
import { type ExpressionBuilder, sql } from 'kysely';
import { newId, nowIso } from '../ids.js';
import type { PageCursor } from './cursor.js';
import { containsPattern, type Db, toCount } from './db.js';
import type { ConversationRow, Schema } from './schema.js';
import type { ConversationRecord, GenerationSettings } from './types.js';

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
  async create(
    owner: string,
    imageId: string,
    settings: GenerationSettings,
    title: string | null,
  ): Promise<ConversationRecord> {
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
    await this.db
      .insertInto('conversations')
      .values({
        id: record.id,
        owner,
        image_id: imageId,
        title,
        settings: JSON.stringify(settings),
        created_at: now,
        updated_at: now,
      })
      .execute();
    return record;
  }

  /** The owner's conversation, or undefined when missing or someone else's. */
  async get(owner: string, id: string): Promise<ConversationRecord | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', id)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  /** Up to `limit` of the owner's conversations, most recently active first, after `cursor`, matching `search`. */
  async list(
    owner: string,
    limit: number,
    cursor?: PageCursor,
    search?: string,
  ): Promise<ConversationRecord[]> {
    let query = this.db
      .selectFrom('conversations')
      .selectAll()
      .where((eb) => mine(eb, owner, search));
    if (cursor) {
      query = query.where((eb) =>
        eb.or([
          eb('updated_at', '<', cursor.at),
          eb.and([eb('updated_at', '=', cursor.at), eb('id', '<', cursor.id)]),
        ]),
      );
    }
    const rows = await query.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(fromRow);
  }

  /** How many conversations the owner has (that match `search`). */
  async count(owner: string, search?: string): Promise<number> {
    const row = await this.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.countAll().as('n'))
      .where((eb) => mine(eb, owner, search))
      .executeTakeFirst();
    return toCount(row?.n);
  }

  /** Sets or clears the title; false when the conversation is not the owner's. */
  async rename(owner: string, id: string, title: string | null): Promise<boolean> {
    const result = await this.db
      .updateTable('conversations')
      .set({ title, updated_at: nowIso() })
      .where('id', '=', id)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** How many conversations are about this image. */
  async countUsing(imageId: string): Promise<number> {
    const row = await this.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('image_id', '=', imageId)
      .executeTakeFirst();
    return toCount(row?.n);
  }

  /** Replaces the conversation's default generation settings; false when it is not the owner's. */
  async updateSettings(owner: string, id: string, settings: GenerationSettings): Promise<boolean> {
    const result = await this.db
      .updateTable('conversations')
      .set({ settings: JSON.stringify(settings), updated_at: nowIso() })
      .where('id', '=', id)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Marks the conversation active now (it moves to the top of the list). */
  async touch(id: string): Promise<void> {
    await this.db.updateTable('conversations').set({ updated_at: nowIso() }).where('id', '=', id).execute();
  }

  /** Deletes the conversation and its turns; false when it is not the owner's. */
  async delete(owner: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('conversations')
      .where('id', '=', id)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return result.numDeletedRows === 1n;
  }
}

/** The owner's rows, and with a search those whose title, questions or answers contain it (case-insensitive:
 * lower() on both sides, so SQLite's ASCII-only LIKE folding and PostgreSQL's case-sensitive LIKE agree). */
function mine(eb: ExpressionBuilder<Schema, 'conversations'>, owner: string, search: string | undefined) {
  if (!search) return eb('owner', '=', owner);
  const pattern = containsPattern(search);
  const like = (column: string) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
  return eb.and([
    eb('owner', '=', owner),
    eb.or([
      like('conversations.title'),
      eb.exists(
        eb
          .selectFrom('turns as t')
          .select(sql`1`.as('one'))
          .whereRef('t.conversation_id', '=', 'conversations.id')
          .where((inner) => inner.or([like('t.question'), like('t.answer')])),
      ),
    ]),
  ]);
}
