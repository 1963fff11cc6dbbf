'use client';
// What the server publishes (models, limits, option ranges) and whether it can be reached. When it cannot, it is
// asked again with a growing delay, and `onBack` runs once it answers, so an outage needs nothing from the user.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useClient } from 'urql';
import type { Limits, ModelInfo } from '../lib/api.js';
import { type FriendlyError, fromCombinedError, isUnreachable } from '../lib/errors.js';
import { DEFAULT_ACCEPTED, DEFAULT_MAX_UPLOAD_BYTES } from '../lib/fileCheck.js';
import { START_QUERY } from '../lib/operations.js';
import { rangesFrom } from '../lib/settings.js';

/** First and longest wait before asking an unreachable server again, ms. */
export const RECONNECT_FIRST_MS = 1000;
export const RECONNECT_MAX_MS = 15_000;

/** Until the server has answered: the upload check lets the server decide, and no option range is known yet. */
const FALLBACK_LIMITS: Limits = {
  maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
  maxQuestionChars: 500,
  acceptedMimeTypes: DEFAULT_ACCEPTED,
  maxTitleChars: 200,
  maxSearchChars: 200,
  search: { maxResults: 0, maxRerank: 0 }, // no picture search until the server says how many results it gives
  options: [],
};

/** Published facts, and `unreachable()` to report an outage seen anywhere (it starts the reconnect loop). */
export function useServer(setError: (e: FriendlyError | null) => void, onBack: () => void) {
  const client = useClient();
  const [limits, setLimits] = useState<Limits>(FALLBACK_LIMITS);
  const [models, setModels] = useState<ModelInfo[]>([]);
  const [offline, setOffline] = useState(false);
  const delay = useRef(RECONNECT_FIRST_MS);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const offlineRef = useRef(false);
  const onBackRef = useRef(onBack);
  onBackRef.current = onBack;

  const load = useCallback(async (): Promise<boolean> => {
    const res = await client.query(START_QUERY, {}).toPromise();
    const error = res.error ? fromCombinedError(res.error) : null;
    // A partial answer (one field failed on the server) is still the server's word: use what came, say what did not.
    if (res.data) {
      setLimits(res.data.limits);
      setModels(res.data.models);
    }
    if (error) setError(error);
    return res.data !== undefined && !isUnreachable(error);
  }, [client, setError]);

  const probe = useCallback(async () => {
    clearTimeout(timer.current);
    if (await load()) {
      delay.current = RECONNECT_FIRST_MS;
      offlineRef.current = false;
      setOffline(false);
      setError(null);
      onBackRef.current();
      return;
    }
    timer.current = setTimeout(() => void probe(), delay.current);
    delay.current = Math.min(delay.current * 2, RECONNECT_MAX_MS);
  }, [load, setError]);

  const unreachable = useCallback(() => {
    if (offlineRef.current) return;
    offlineRef.current = true;
    setOffline(true);
    timer.current = setTimeout(() => void probe(), delay.current);
  }, [probe]);

  useEffect(() => {
    void load().then((ok) => {
      if (!ok) unreachable();
    });
    // Coming back online or to the tab is a good moment to try at once.
    const now = () => {
      if (offlineRef.current) void probe();
    };
    window.addEventListener('online', now);
    return () => {
      window.removeEventListener('online', now);
      clearTimeout(timer.current);
    };
  }, [load, probe, unreachable]);

  const ranges = useMemo(() => rangesFrom(limits.options), [limits.options]);
  return { limits, models, ranges, offline, unreachable, retryNow: probe, isUnreachable };
}
