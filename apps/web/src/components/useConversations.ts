'use client';
// The conversation list: newest first, a page at a time ("load more"), with delete that can be undone. A deleted row
// turns into an "Undo" row of the same height, so the next row's × never slides under the pointer; the deletion is
// sent when the undo time is over (or the page goes away).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import type { ConversationSummary } from '../lib/api.js';
import { type FriendlyError, fromCombinedError } from '../lib/errors.js';
import { CONVERSATIONS_QUERY, DELETE_MUTATION } from '../lib/operations.js';

/** Conversations fetched per page. */
export const LIST_SIZE = 50;
/** How long a deleted conversation can be brought back, ms. */
export const UNDO_MS = 8000;

interface Page {
  items: ConversationSummary[];
  hasMore: boolean;
  cursor: string | null;
}

/** The list and its actions; `report` shows an error (and notices an outage). */
export function useConversations(report: (e: FriendlyError) => void) {
  const client = useClient();
  const [page, setPage] = useState<Page | 'unavailable' | null>(null);
  const [deleting, setDeleting] = useState<ReadonlySet<string>>(new Set());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const loaded = useRef(0);

  const fetchPage = useCallback(
    async (first: number, after: string | null) => {
      const res = await client.query(CONVERSATIONS_QUERY, { first, after }).toPromise();
      if (res.error || !res.data) {
        if (res.error) report(fromCombinedError(res.error));
        return null;
      }
      const c = res.data.conversations;
      return { items: c.nodes, hasMore: c.pageInfo.hasNextPage, cursor: c.pageInfo.endCursor };
    },
    [client, report],
  );

  /** Reloads as many conversations as are shown (at least one page). */
  const refresh = useCallback(async () => {
    const next = await fetchPage(Math.max(LIST_SIZE, loaded.current), null);
    if (!next) return setPage((p) => p ?? 'unavailable');
    loaded.current = next.items.length;
    setPage(next);
  }, [fetchPage]);

  const loadMore = useCallback(async () => {
    if (!page || page === 'unavailable' || !page.hasMore) return;
    const next = await fetchPage(LIST_SIZE, page.cursor);
    if (!next) return;
    const known = new Set(page.items.map((c) => c.id));
    const items = [...page.items, ...next.items.filter((c) => !known.has(c.id))];
    loaded.current = items.length;
    setPage({ ...next, items });
  }, [fetchPage, page]);

  const commit = useCallback(
    async (id: string) => {
      timers.current.delete(id);
      const res = await client.mutation(DELETE_MUTATION, { id }).toPromise();
      if (res.error) report(fromCombinedError(res.error));
      setDeleting((s) => without(s, id));
      setPage((p) => (p && p !== 'unavailable' ? { ...p, items: p.items.filter((c) => c.id !== id) } : p));
    },
    [client, report],
  );

  const remove = useCallback(
    (id: string) => {
      setDeleting((s) => new Set(s).add(id));
      timers.current.set(
        id,
        setTimeout(() => void commit(id), UNDO_MS),
      );
    },
    [commit],
  );

  const undo = useCallback((id: string) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setDeleting((s) => without(s, id));
  }, []);

  /** Sends every pending deletion now (the page is closing, or the user dismissed the undo). */
  const flush = useCallback(() => {
    for (const [id, timer] of timers.current) {
      clearTimeout(timer);
      void commit(id);
    }
  }, [commit]);

  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [flush]);

  return { page, deleting, refresh, loadMore, remove, undo, flush };
}

function without(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(set);
  next.delete(id);
  return next;
}
