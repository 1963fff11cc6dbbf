// The schema's history, one Kysely migration per step, written once for both dialects. The Migrator records
// what ran in its own table and runs the rest at start-up, under its own lock (safe with several replicas).
import { type Kysely, type Migration, type MigrationProvider, PostgresAdapter, sql } from 'kysely';

// Databases made before the Migrator (SQLite files with user_version 1 or 2) already have the first two steps:
// those steps create only what is missing, so such a file is adopted as it is.
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('images')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('byte_size', 'integer', (c) => c.notNull())
        .addColumn('filename', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('images_owner_sha256', ['owner', 'sha256'])
        .execute();
      await db.schema
        .createTable('conversations')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('image_id', 'text', (c) => c.notNull().references('images.id'))
        .addColumn('title', 'text')
        .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('conversations_by_owner')
        .ifNotExists()
        .on('conversations')
        .expression(sql`owner, updated_at DESC, id DESC`)
        .execute();
      await db.schema
        .createTable('turns')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) =>
          c.notNull().references('conversations.id').onDelete('cascade'),
        )
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('question', 'text')
        .addColumn('answer', 'text')
        .addColumn('token_ids', 'text')
        .addColumn('alternatives', 'text')
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('precision', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('timings', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('finish_reason', 'text')
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        .addUniqueConstraint('turns_conversation_seq', ['conversation_id', 'seq'])
        .execute();
      await db.schema.createIndex('turns_by_status').ifNotExists().on('turns').column('status').execute();
    },
  },
  // Confidence of an answer; image listing by owner; "is this image still used?" by image.
  '0002_confidence_and_listing': {
    async up(db: Kysely<unknown>) {
      const turns = (await db.introspection.getTables()).find((t) => t.name === 'turns');
      if (!turns?.columns.some((c) => c.name === 'confidence'))
        await db.schema.alterTable('turns').addColumn('confidence', 'double precision').execute();
      await db.schema
        .createIndex('images_by_owner')
        .ifNotExists()
        .on('images')
        .expression(sql`owner, created_at DESC, id DESC`)
        .execute();
      await db.schema
        .createIndex('conversations_by_image')
        .ifNotExists()
        .on('conversations')
        .column('image_id')
        .execute();
    },
  },
  // Regenerated answers and edited questions: the turn a new version replaces (same conversation), for issue 17.
  '0003_turn_replaces': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('turns').addColumn('replaces', 'text').execute();
    },
  },
  // Image bytes in the database (IMAGE_STORE=database), so replicas sharing a PostgreSQL share them too.
  '0004_image_bytes': {
    async up(db: Kysely<unknown>) {
      const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
      await db.schema
        .createTable('image_bytes')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('bytes', postgres ? sql`bytea` : sql`blob`, (c) => c.notNull())
        .execute();
    },
  },
  // Image feature vectors for text-to-image search (issue 20): one per image and model, gone with the image.
  '0006_image_features': {
    async up(db: Kysely<unknown>) {
      const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
      await db.schema
        .createTable('image_features')
        .addColumn('image_id', 'text', (c) => c.notNull().references('images.id').onDelete('cascade'))
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('vector', postgres ? sql`bytea` : sql`blob`, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('image_features_pk', ['image_id', 'model'])
        .execute();
    },
  },
  // Turn leases: the replica running a PENDING turn renews lease_until; once it has passed, any replica may mark
  // the turn INTERRUPTED (no replica interrupts a live neighbour's turns at start-up any more).
  '0007_turn_leases': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('turns').addColumn('lease_owner', 'text').execute();
      await db.schema.alterTable('turns').addColumn('lease_until', 'text').execute();
    },
  },
};

/** The migrations above, for Kysely's Migrator (applied in name order). */
export const migrations: MigrationProvider = { getMigrations: async () => MIGRATIONS };
