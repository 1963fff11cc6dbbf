'use client';
// The conversation list: newest first, a page at a time ("load more"), with delete that can be undone. A deleted row
// turns into an "Undo" row of the same height, so the next row's × never slides under the pointer; the deletion is
// sent when the undo time is over (or the page goes away).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import type { ConversationSummary } from '../lib/api.js';
import { requestHeaders } from '../lib/client.js';
import { type FriendlyError, fromCombinedError } from '../lib/errors.js';
import { CONVERSATIONS_QUERY, DELETE_MUTATION, RENAME_MUTATION } from '../lib/operations.js';

/** Conversations fetched per page. */
export const LIST_SIZE = 50;
/** How long a deleted conversation can be brought back, ms. */
export const UNDO_MS = 8000;
/** The search runs this long after the last key, so typing a word sends one request, ms. */
export const SEARCH_DELAY_MS = 250;

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
  const [search, setSearchText] = useState('');
  const searchRef = useRef('');
  const searchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const fetchPage = useCallback(
    async (first: number, after: string | null) => {
      const text = searchRef.current.trim();
      const res = await client.query(CONVERSATIONS_QUERY, { first, after, search: text || null }).toPromise();
      // A newer search was typed while this one ran: its answer is not wanted.
      if (text !== searchRef.current.trim()) return null;
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

  /** Filters the list by title, question or answer (the API searches); '' shows all again. */
  const setSearch = useCallback(
    (text: string) => {
      setSearchText(text);
      searchRef.current = text;
      clearTimeout(searchTimer.current);
      loaded.current = 0;
      searchTimer.current = setTimeout(() => void refresh(), SEARCH_DELAY_MS);
    },
    [refresh],
  );

  /** Renames a conversation (blank clears the title); returns the stored title, or undefined when it failed. */
  const rename = useCallback(
    async (id: string, title: string) => {
      const res = await client.mutation(RENAME_MUTATION, { id, title: title.trim() || null }).toPromise();
      if (res.error || !res.data) {
        if (res.error) report(fromCombinedError(res.error));
        return undefined;
      }
      const renamed = res.data.renameConversation;
      setPage((p) =>
        p && p !== 'unavailable'
          ? { ...p, items: p.items.map((c) => (c.id === id ? { ...c, title: renamed.title } : c)) }
          : p,
      );
      return renamed.title;
    },
    [client, report],
  );

  const commit = useCallback(
    async (id: string, closing = false) => {
      timers.current.delete(id);
      // A page that is closing cancels its requests unless they are sent with keepalive (headers as the client's).
      const context = closing ? { fetchOptions: { keepalive: true, headers: requestHeaders() } } : undefined;
      const res = await client.mutation(DELETE_MUTATION, { id }, context).toPromise();
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
      void commit(id, true);
    }
  }, [commit]);

  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [flush]);

  return { page, deleting, search, setSearch, rename, refresh, loadMore, remove, undo, flush };
}

function without(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(set);
  next.delete(id);
  return next;
}
