// Image feature vectors for text-to-image search (issue 20): one row per (image, model) holding the engine's
// unit vector as float32 bytes; the row goes with its image (foreign key, ON DELETE CASCADE). A search reads
// every image of one owner with its vector (null when not computed yet) in one query.

import { sql } from 'kysely';
import { nowIso } from '../ids.js';
import type { Db, Dialect } from './db.js';
import { fromImageRow } from './images.js';
import type { ImageRow } from './schema.js';
import type { ImageRecord } from './types.js';

/** One of the owner's images and its stored vector for the model (null: not computed yet). */
export interface ImageWithFeature {
  image: ImageRecord;
  vector: Float32Array | null;
}

/** Vectors by image and model. */
export class ImageFeatureRepo {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {}

  /** Every image of `owner`, with its vector for `model` when there is one, newest first. */
  async forOwner(owner: string, model: string): Promise<ImageWithFeature[]> {
    const rows = await this.db
      .selectFrom('images')
      .leftJoin('image_features', (join) =>
        join.onRef('image_features.image_id', '=', 'images.id').on('image_features.model', '=', model),
      )
      .selectAll('images')
      .select('image_features.vector')
      .where('images.owner', '=', owner)
      .orderBy('images.created_at', 'desc')
      .orderBy('images.id', 'desc')
      .execute();
    return rows.map(({ vector, ...row }) => ({
      image: fromImageRow(row as ImageRow),
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
