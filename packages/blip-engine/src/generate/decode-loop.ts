// The generation loop. Prefill feeds the whole prompt (decoder start + caption prompt) into an empty cache;
// then each decode step feeds one new token per row and the cache it returned. The search strategy decides
// tokens and beam order; the cache is a value passed in and handed back; time is read only at the edges.
import { type KvCache, reorderCache } from './kv-cache.js';
import type { Hypothesis, Search } from './search.js';

/** What one decoder run returns: the last position's logits of every row and the grown cache. */
export interface StepOutput {
  /** [rows, vocab] row-major. */
  logits: Float32Array;
  vocab: number;
  cache: KvCache;
}

/** Runs the decoder on `inputIds` ([rows][L]) after `cache` (length P) and returns logits and the cache (P+L). */
export type DecoderStep = (inputIds: number[][], cache: KvCache) => Promise<StepOutput>;

export interface DecodeHooks {
  signal?: AbortSignal;
  /** Tokens that became final (streamable) after a step; `last` is true on the step that ends generation. */
  onTokens?: (tokens: number[], last: boolean) => void;
}

export interface DecodeOutcome {
  /** Best first; empty when cancelled before anything finished. */
  hypotheses: Hypothesis[];
  cancelled: boolean;
  /** Decoder runs, prefill included. */
  steps: number;
  /** Wall time of each step (ms), prefill first: the decoder run and choosing its token(s). */
  stepMs: number[];
}

/** Generates with `search` from `prompt` (ids), starting from the empty cache `cache`; stops within one step on abort. */
export async function decode(
  step: DecoderStep,
  search: Search,
  prompt: readonly number[],
  cache: KvCache,
  hooks: DecodeHooks = {},
): Promise<DecodeOutcome> {
  const stepMs: number[] = [];
  if (hooks.signal?.aborted) return { hypotheses: [], cancelled: true, steps: 0, stepMs };

  // Prefill: every row sees the whole prompt, the cache starts empty.
  let started = performance.now();
  let out = await step(
    Array.from({ length: search.rows }, () => [...prompt]),
    cache,
  );
  for (;;) {
    // Choose: the strategy reads the last logits and says which rows continue with which token.
    const choice = search.next(out.logits, out.vocab);
    // A step's time runs until its token is chosen (the decoder run, the binding and the search).
    stepMs.push(performance.now() - started);
    if (choice.final.length > 0) hooks.onTokens?.(choice.final, choice.done);
    if (choice.done) break;
    if (hooks.signal?.aborted) return { hypotheses: [], cancelled: true, steps: stepMs.length, stepMs };

    // Decode: one token per row, with the cache gathered into the rows' new order.
    started = performance.now();
    const past =
      choice.beamIdx && !isIdentity(choice.beamIdx) ? reorderCache(out.cache, choice.beamIdx) : out.cache;
    out = await step(
      choice.tokens.map((token) => [token]),
      past,
    );
  }
  return { hypotheses: search.hypotheses(), cancelled: false, steps: stepMs.length, stepMs };
}

function isIdentity(rows: readonly number[]): boolean {
  return rows.every((row, i) => row === i);
}
