// Opaque page cursors: base64url of the last row's (updatedAt, id).
import { ApiError } from '../errors.js';
import type { PageCursor } from './conversations.js';

/** The cursor that points just after this conversation. */
export function encodeCursor(row: PageCursor): string {
  return Buffer.from(JSON.stringify([row.updatedAt, row.id])).toString('base64url');
}

/** Reads a cursor made by encodeCursor; anything else is a BAD_USER_INPUT on `after`. */
export function decodeCursor(cursor: string): PageCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return { updatedAt: value[0] as string, id: value[1] as string };
    }
  } catch {
    // fall through: not JSON
  }
  throw new ApiError('BAD_USER_INPUT', 'after is not a cursor returned by this API', 'after');
}
