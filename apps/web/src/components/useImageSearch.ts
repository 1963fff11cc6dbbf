'use client';
// Finding one's pictures by describing them (issue 20): the API ranks the caller's own images by BLIP's image-text
// heads and re-ranks the top ones by the matching head; the page shows the hits until the search is cleared.
import { useCallback, useRef, useState } from 'react';
import { useClient } from 'urql';
import type { ImageHit, Limits } from '../lib/api.js';
import { type FriendlyError, fromCombinedError } from '../lib/errors.js';
import { SEARCH_IMAGES_QUERY } from '../lib/operations.js';

/** Hits asked for, and how many of the top ones the matching head re-ranks: each within the API's published bounds. */
export const WANTED_RESULTS = 9;
export const WANTED_RERANK = 9;

export type ImageSearchState =
  | { kind: 'idle' }
  | { kind: 'searching'; text: string }
  | { kind: 'done'; text: string; hits: ImageHit[]; searched: number };

/** The search box's state and actions; errors go to the page's banner through `report`. */
export function useImageSearch(limits: Limits, report: (e: FriendlyError | null) => void) {
  const client = useClient();
  const [state, setState] = useState<ImageSearchState>({ kind: 'idle' });
  const latest = useRef(0);

  const run = useCallback(
    async (text: string) => {
      const wanted = text.trim();
      if (!wanted) return setState({ kind: 'idle' });
      const call = ++latest.current;
      setState({ kind: 'searching', text: wanted });
      const first = Math.min(WANTED_RESULTS, limits.search.maxResults);
      const rerank = Math.min(WANTED_RERANK, limits.search.maxRerank);
      const res = await client
        .query(SEARCH_IMAGES_QUERY, { text: wanted, first, rerank }, { requestPolicy: 'network-only' })
        .toPromise();
      if (call !== latest.current) return; // a newer search was sent meanwhile
      if (res.error || !res.data) {
        report(res.error ? fromCombinedError(res.error) : null);
        return setState({ kind: 'idle' });
      }
      const { hits, searched } = res.data.searchImages;
      setState({ kind: 'done', text: wanted, hits, searched });
    },
    [client, limits, report],
  );

  const clear = useCallback(() => {
    latest.current++;
    setState({ kind: 'idle' });
  }, []);

  return { state, run, clear };
}
