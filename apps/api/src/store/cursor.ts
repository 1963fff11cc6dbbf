// Opaque page cursors: base64url of the last row's (timestamp, id). Lists are ordered by both, newest first.
import { ApiError } from '../errors.js';

/** Where a page starts: just after the row with this timestamp and id. */
export interface PageCursor {
  at: string;
  id: string;
}

/** The cursor that points just after this row. */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

/** Reads a cursor made by encodeCursor; anything else is a BAD_USER_INPUT on `after`. */
export function decodeCursor(cursor: string): PageCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return { at: value[0] as string, id: value[1] as string };
    }
  } catch {
    // fall through: not JSON
  }
  throw new ApiError('BAD_USER_INPUT', 'after is not a cursor returned by this API', 'after');
}
