// The tables as Kysely sees them: one description for SQLite and PostgreSQL. Timestamps are ISO-8601 UTC text
// (nowIso(): fixed width, so they sort as text in both), JSON columns are text, ids are newId() strings.
import type { Insertable, Selectable } from 'kysely';

export interface ImagesTable {
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

export interface ConversationsTable {
  id: string;
  owner: string;
  image_id: string;
  title: string | null;
  /** JSON of GenerationSettings. */
  settings: string;
  created_at: string;
  updated_at: string;
}

export interface TurnsTable {
  id: string;
  conversation_id: string;
  seq: number;
  kind: string;
  question: string | null;
  answer: string | null;
  /** JSON number[]. */
  token_ids: string | null;
  /** JSON Candidate[]. */
  alternatives: string | null;
  model: string;
  precision: string;
  /** JSON of GenerationSettings. */
  options: string;
  /** JSON of Timings. */
  timings: string | null;
  confidence: number | null;
  /** The turn (same conversation) this one is a new version of; null for an original. */
  replaces: string | null;
  /** The replica (TurnLeases.owner) running this PENDING turn. */
  lease_owner: string | null;
  /** ISO time until which that replica holds the turn; it renews it while the turn runs. */
  lease_until: string | null;
  status: string;
  finish_reason: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  completed_at: string | null;
}

/** Image bytes by content, when IMAGE_STORE=database. */
export interface ImageBytesTable {
  sha256: string;
  bytes: Buffer;
}

/** An image's feature vector for text-to-image search: float32 little-endian bytes, per model. */
export interface ImageFeaturesTable {
  image_id: string;
  model: string;
  vector: Buffer;
  created_at: string;
}

/** Every table of the store. */
export interface Schema {
  images: ImagesTable;
  image_features: ImageFeaturesTable;
  image_bytes: ImageBytesTable;
  conversations: ConversationsTable;
  turns: TurnsTable;
}

export type ImageRow = Selectable<ImagesTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type TurnRow = Selectable<TurnsTable>;
export type NewTurnRow = Insertable<TurnsTable>;
