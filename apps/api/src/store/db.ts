// One store, two databases: SQLite in DATA_DIR by default (nothing to set up), PostgreSQL when DATABASE_URL is
// set (what several replicas share). Kysely speaks both, so every query below is written once.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations.js';
import type { Schema } from './schema.js';

export type Db = Kysely<Schema>;
export type Dialect = 'sqlite' | 'postgres';

/** Where the store lives. */
export interface StoreLocation {
  /** postgres:// or postgresql:// URL; empty or undefined = the SQLite file below. */
  databaseUrl?: string;
  /** The SQLite file (or ':memory:'), used when there is no databaseUrl. */
  sqlitePath: string;
  /** Most PostgreSQL connections this process opens. */
  poolSize?: number;
}

/** Opens the database (creating a SQLite file if needed) and brings its schema up to date. */
export async function openDatabase(where: StoreLocation): Promise<{ db: Db; dialect: Dialect }> {
  const dialect: Dialect = where.databaseUrl ? 'postgres' : 'sqlite';
  const db = new Kysely<Schema>({
    dialect: where.databaseUrl
      ? postgresDialect(where.databaseUrl, where.poolSize)
      : sqliteDialect(where.sqlitePath),
  });
  try {
    await migrate(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, dialect };
}

async function migrate(db: Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: migrations }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw Object.assign(new Error(`database migration ${failed ?? ''} failed: ${String(error)}`), {
      code: (error as { code?: unknown }).code,
      cause: error,
    });
  }
}

function sqliteDialect(path: string): SqliteDialect {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const file = new Database(path);
  try {
    file.pragma('journal_mode = WAL'); // readers never wait on the writer
    // NORMAL is durable across process crashes in WAL mode; only a power cut can lose the last commits.
    file.pragma('synchronous = NORMAL');
    file.pragma('foreign_keys = ON');
    file.pragma('busy_timeout = 5000');
  } catch (err) {
    file.close();
    throw err;
  }
  return new SqliteDialect({ database: file });
}

function postgresDialect(url: string, poolSize = 10): PostgresDialect {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client whose server went away emits 'error'; the next query reconnects, so this must not crash us.
  pool.on('error', () => {});
  return new PostgresDialect({ pool });
}

/** Matches "contains `text`", case-insensitive, as a LIKE pattern (escape character: backslash). */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** COUNT(*) comes back as a number from SQLite and as a bigint string from PostgreSQL. */
export const toCount = (value: string | number | bigint | undefined): number => Number(value ?? 0);
