// Image feature vectors for text-to-image search (issue 20): one row per (image, model) holding the engine's
// unit vector as float32 bytes; the row goes with its image (foreign key, ON DELETE CASCADE). A search reads
// every image of one owner with its vector (null when not computed yet) in one query, and only the columns its
// first pass needs (whole rows took 120 ms at 10,000 images, these 71-96 ms: apps/api/bench/search.ts).

import { sql } from 'kysely';
import { nowIso } from '../ids.js';
import type { Db, Dialect } from './db.js';

/** One of the owner's images as a search's first pass needs it: its id, its content key (to compute a missing
 * vector) and its vector for the space (null: not computed yet). The rest of the row is read for the hits only. */
export interface StoredVector {
  imageId: string;
  sha256: string;
  vector: Float32Array | null;
}

/** Vectors by image and model. */
export class ImageFeatureRepo {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {}

  /** Every image of `owner` with its vector for `model` when there is one, newest first (the index's order). */
  async forOwner(owner: string, model: string): Promise<StoredVector[]> {
    const rows = await this.db
      .selectFrom('images')
      .leftJoin('image_features', (join) =>
        join.onRef('image_features.image_id', '=', 'images.id').on('image_features.model', '=', model),
      )
      .select(['images.id', 'images.sha256', 'image_features.vector'])
      .where('images.owner', '=', owner)
      .orderBy('images.created_at', 'desc')
      .orderBy('images.id', 'desc')
      .execute();
    return rows.map(({ id, sha256, vector }) => ({
      imageId: id,
      sha256,
      vector: vector ? toVector(vector) : null,
    }));
  }

  /** Stores an image's vector for a model; a second writer of the same row (another replica) changes nothing,
   * and neither does a vector whose image was deleted while it was computed (one statement: no window). */
  async put(imageId: string, model: string, vector: Float32Array): Promise<void> {
    // A parameter in a SELECT list has no type on PostgreSQL (it would be text): the bytes are cast.
    const bytes = sql<Buffer>`cast(${toBytes(vector)} as ${sql.raw(this.dialect === 'postgres' ? 'bytea' : 'blob')})`;
    await this.db
      .insertInto('image_features')
      .columns(['image_id', 'model', 'vector', 'created_at'])
      .expression((eb) =>
        eb
          .selectFrom('images')
          .select((s) => [
            'images.id',
            s.val(model).as('model'),
            bytes.as('vector'),
            s.val(nowIso()).as('created_at'),
          ])
          .where('images.id', '=', imageId),
      )
      .onConflict((oc) => oc.columns(['image_id', 'model']).doNothing())
      .execute();
  }

  /** The newest conversation of `owner` about the image, or undefined. */
  async latestConversationId(owner: string, imageId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .select('id')
      .where('owner', '=', owner)
      .where('image_id', '=', imageId)
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row?.id;
  }
}

/** Float32 little-endian bytes (every platform Node runs on is little-endian; the copy keeps the buffer's own). */
function toBytes(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer.slice(vector.byteOffset, vector.byteOffset + vector.byteLength));
}

function toVector(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes); // aligned: a driver's Buffer may sit at any offset of a shared pool
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}
