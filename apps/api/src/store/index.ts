// The storage layer as one object: the API opens it once, awaits every call, and closes it last.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConversationRepo } from './conversations.js';
import { type Db, type Dialect, openDatabase, type StoreLocation } from './db.js';
import { ImageFeatureRepo } from './image-features.js';
import { ImageRepo } from './images.js';
import { type LeaseTerms, TurnRepo } from './turns.js';

export type { Dialect, StoreLocation } from './db.js';

/** Images, conversations and turns in SQLite or PostgreSQL; every call is async and the same for both. */
export interface Store {
  dialect: Dialect;
  images: ImageRepo;
  /** Image feature vectors for text-to-image search. */
  features: ImageFeatureRepo;
  conversations: ConversationRepo;
  turns: TurnRepo;
  /** The query builder, for tests and for stores that add their own tables. */
  db: Db;
  close(): Promise<void>;
}

/** This process's name as a lease holder: host, pid and a random part, so a restart is a new holder. */
export function replicaId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** Opens (and migrates) the store at `where`; turns it creates are held under `lease`. */
export async function openStore(
  where: StoreLocation,
  lease: LeaseTerms = { owner: replicaId(), ms: 15_000 },
): Promise<Store> {
  const { db, dialect } = await openDatabase(where);
  return {
    dialect,
    db,
    images: new ImageRepo(db),
    features: new ImageFeatureRepo(db, dialect),
    conversations: new ConversationRepo(db),
    turns: new TurnRepo(db, lease),
    close: () => db.destroy(),
  };
}
