// The generation loop. Prefill feeds the whole prompt (decoder start + caption prompt) into an empty cache;
// then each decode step feeds one new token per row. The search strategy decides tokens and beam order; the
// step (alone, decoder-step.ts, or a row group of a shared batch, step-batch.ts) keeps the cache and gathers
// its rows when beams reorder; time is read only at the edges.
import type { Hypothesis, Search } from './search.js';

/** What one decoder run gives a generation: the last position's logits of each of its rows. */
export interface StepOutput {
  /** [rows, vocab] row-major; valid until the generation's next step. */
  logits: Float32Array;
  vocab: number;
}

/**
 * Runs the decoder on `inputIds` ([rows][L]) after everything fed so far. `beamIdx`: row i continues row
 * beamIdx[i] of the previous step (its cache gathered first); null = the same rows.
 */
export type DecoderStep = (inputIds: number[][], beamIdx: readonly number[] | null) => Promise<StepOutput>;

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

/** Generates with `search` from `prompt` (ids) with a step that has seen nothing yet; stops within one step on abort. */
export async function decode(
  step: DecoderStep,
  search: Search,
  prompt: readonly number[],
  hooks: DecodeHooks = {},
): Promise<DecodeOutcome> {
  const stepMs: number[] = [];
  if (hooks.signal?.aborted) return { hypotheses: [], cancelled: true, steps: 0, stepMs };

  // Prefill: every row sees the whole prompt, the cache starts empty.
  let started = performance.now();
  let out = await step(
    Array.from({ length: search.rows }, () => [...prompt]),
    null,
  );
  for (;;) {
    // Choose: the strategy reads the last logits and says which rows continue with which token.
    const choice = search.next(out.logits, out.vocab);
    // A step's time runs until its token is chosen (the decoder run, the binding and the search).
    stepMs.push(performance.now() - started);
    if (choice.done || hooks.signal?.aborted) {
      if (choice.final.length > 0) hooks.onTokens?.(choice.final, choice.done);
      if (choice.done) break;
      return { hypotheses: [], cancelled: true, steps: stepMs.length, stepMs };
    }

    // Decode: one token per row, the cache gathered into the rows' new order when beams moved. The step is
    // started before the tokens are handed on, so the caller's handling of them (streaming, GraphQL, logs)
    // runs while the decoder does, instead of before a batched run starts: the batch starts in a microtask
    // queued when the last member asks, behind whatever the token handling queued first.
    started = performance.now();
    const moved = choice.beamIdx && !isIdentity(choice.beamIdx) ? choice.beamIdx : null;
    const next = step(
      choice.tokens.map((token) => [token]),
      moved,
    );
    try {
      if (choice.final.length > 0) hooks.onTokens?.(choice.final, false);
    } catch (error) {
      await next.catch(() => {}); // the step in flight settles before the error leaves
      throw error;
    }
    if (hooks.signal?.aborted) {
      // Stopped by the token handling itself: as before the step started, its result is not used.
      await next.catch(() => {});
      return { hypotheses: [], cancelled: true, steps: stepMs.length, stepMs };
    }
    if (search.settle) await settleWhileRunning(search.settle.bind(search), next);
    out = await next;
  }
  return { hypotheses: search.hypotheses(), cancelled: false, steps: stepMs.length, stepMs };
}

/**
 * Runs `settle` once the step is running: a batched run starts in microtasks (when the last member asks), so
 * this waits for the next macrotask; the step's own result is awaited by the caller (a rejection meanwhile is
 * not "unhandled").
 */
async function settleWhileRunning(settle: () => void, running: Promise<unknown>): Promise<void> {
  running.catch(() => {});
  await new Promise<void>((resolve) => setImmediate(resolve));
  settle();
}

function isIdentity(rows: readonly number[]): boolean {
  return rows.every((row, i) => row === i);
}
