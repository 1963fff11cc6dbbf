// The contract between the decoding loop and a search strategy (greedy, sampling, beam search).
import type { FinishReason } from '../types.js';

/** One finished sequence: the generated ids (end token removed), its score and why it ended. */
export interface Hypothesis {
  tokenIds: number[];
  score: number;
  /** Geometric mean of the chosen tokens' probabilities (end token included), 0..1: see meanProbability. */
  confidence: number;
  finishReason: Exclude<FinishReason, 'cancelled'>;
}

/** What a strategy decided after looking at one decoder step's logits. */
export interface SearchStep {
  /** Next input id per decoder row ([rows]). */
  tokens: number[];
  /** Row i of the next step continues row beamIdx[i] of this one (cache gathered along batch); null = same rows. */
  beamIdx: number[] | null;
  /** Nothing more to generate. */
  done: boolean;
  /** Tokens that are now final and can be streamed (greedy/sampling: the one just chosen; beams: none until done). */
  final: number[];
}

/** A decoding strategy: consumes the last position's logits of every row and chooses what comes next. */
export interface Search {
  /** Batch rows the decoder runs with (1, or the beam count). */
  readonly rows: number;
  /** `logits` is [rows, vocab] row-major: the last position of each row. */
  next(logits: ArrayLike<number>, vocab: number): SearchStep;
  /**
   * Bookkeeping that need not delay the next token (greedy's running score): the decoding loop calls it while
   * the next decoder run is under way. Optional to call — next() and hypotheses() settle anything left first.
   */
  settle?(): void;
  /** Best first; call after `done`. */
  hypotheses(): Hypothesis[];
}
