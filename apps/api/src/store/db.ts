// SQLite through better-sqlite3: one file, WAL so readers never wait on the writer, foreign keys on.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

// Each entry moves the schema one version forward; `user_version` records how far a file has gone.
const MIGRATIONS: string[] = [
  `CREATE TABLE images (
     id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     format TEXT NOT NULL,
     mime TEXT NOT NULL,
     width INTEGER NOT NULL,
     height INTEGER NOT NULL,
     byte_size INTEGER NOT NULL,
     filename TEXT,
     created_at TEXT NOT NULL,
     UNIQUE (owner, sha256)
   );
   CREATE TABLE conversations (
     id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     image_id TEXT NOT NULL REFERENCES images(id),
     title TEXT,
     settings TEXT NOT NULL DEFAULT '{}',
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX conversations_by_owner ON conversations (owner, updated_at DESC, id DESC);
   CREATE TABLE turns (
     id TEXT PRIMARY KEY,
     conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     kind TEXT NOT NULL,
     question TEXT,
     answer TEXT,
     token_ids TEXT,
     alternatives TEXT,
     model TEXT NOT NULL,
     precision TEXT NOT NULL,
     options TEXT NOT NULL,
     timings TEXT,
     status TEXT NOT NULL,
     finish_reason TEXT,
     error_code TEXT,
     error_message TEXT,
     created_at TEXT NOT NULL,
     completed_at TEXT,
     UNIQUE (conversation_id, seq)
   );
   CREATE INDEX turns_by_status ON turns (status);`,
  // v2: confidence of an answer; image listing by owner; "is this image still used?" by image.
  `ALTER TABLE turns ADD COLUMN confidence REAL;
   CREATE INDEX images_by_owner ON images (owner, created_at DESC, id DESC);
   CREATE INDEX conversations_by_image ON conversations (image_id);`,
];

/** Opens (creating if needed) the database at `path` and brings its schema up to date. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only a power cut can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
