// Pages and text limits shared by the list fields: one page size rule, one cursor, one "too long" error.
import type { Context } from '../context.js';
import { ApiError } from '../errors.js';
import { decodeCursor, encodeCursor, type PageCursor } from '../store/cursor.js';
import { builder } from './builder.js';

/** Longest `after` accepted: cursors this API makes are far shorter. */
export const MAX_CURSOR_CHARS = 200;

export const PageInfoRef = builder
  .objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo')
  .implement({
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage'),
      endCursor: t.exposeString('endCursor', {
        nullable: true,
        description: 'Pass as `after` for the next page.',
      }),
    }),
  });

/** BAD_USER_INPUT naming `field` when a text argument is longer than its limit (counted in characters). */
export function checkText(value: string | null | undefined, field: string, max: number): void {
  const length = value ? [...value].length : 0;
  if (length > max) {
    throw new ApiError('BAD_USER_INPUT', `${field} is ${length} characters; the limit is ${max}`, field);
  }
}

/** A page of rows with edges, page info and the total. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Reads `first` and `after` against the page-size settings; `fetch` gets one row more than the page. */
export async function page<T extends { id: string }>(
  ctx: Context,
  args: { first?: number | null; after?: string | null },
  at: (row: T) => string,
  fetch: (limit: number, cursor: PageCursor | undefined) => Promise<T[]>,
): Promise<Page<T>> {
  const { defaultPageSize, maxPageSize } = ctx.services.config;
  const limit = args.first ?? defaultPageSize;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) {
    throw new ApiError('BAD_USER_INPUT', `first must be between 1 and ${maxPageSize}, got ${limit}`, 'first');
  }
  checkText(args.after, 'after', MAX_CURSOR_CHARS);
  const rows = await fetch(limit + 1, args.after ? decodeCursor(args.after) : undefined);
  const edges = rows.slice(0, limit).map((node) => ({ cursor: encodeCursor(at(node), node.id), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
}
