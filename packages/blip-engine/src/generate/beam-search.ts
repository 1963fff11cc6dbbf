// Beam search equal to Hugging Face transformers 5.23 `_beam_search` (batch of one): keep 2×beams candidates
// per step, continue the best `beams` that did not end, keep the best `beams` ended ones scored
// sum(log p) / generated_length^length_penalty, stop by HF's early-stopping heuristic or at the length limit.
import { repetitionPenalty, suppressEndToken } from './logits-processors.js';
import { logSoftmax, meanProbability, rowOf } from './math.js';
import type { DecodingPlan } from './options.js';
import type { Hypothesis, Search, SearchStep } from './search.js';

/** HF's stand-in for "impossible" (added, not assigned, so the arithmetic matches). */
const NEVER = -1.0e9;

interface Beam {
  /** Prompt + generated ids. */
  tokens: number[];
  /** Running: summed log-probability. Finished: length-penalised score. */
  score: number;
  /** Summed log-probability of the generated tokens (never length-penalised): the confidence's source. */
  logProbSum: number;
  /** Row of the previous step this beam continues. */
  parent: number;
  finished: boolean;
}

/** Hugging Face beam search over `plan.numBeams` decoder rows. */
export class BeamSearch implements Search {
  readonly rows: number;
  private running: Beam[];
  private finished: Beam[];
  private readonly promptLength: number;
  private readonly maxLength: number;
  private improvementPossible = true;

  constructor(
    private readonly plan: DecodingPlan,
    prompt: readonly number[],
    private readonly eosId: number,
  ) {
    this.rows = plan.numBeams;
    this.promptLength = prompt.length;
    this.maxLength = prompt.length + plan.maxNewTokens;
    // Only beam 0 is live at first, so the identical rows do not all pick the same tokens.
    this.running = Array.from({ length: this.rows }, (_, b) => beam([...prompt], b === 0 ? 0 : NEVER, b));
    this.finished = Array.from({ length: this.rows }, () => beam([...prompt], NEVER, -1));
  }

  /** One step of HF's loop: top-k continuations, next running beams, finished beams, stopping condition. */
  next(logits: ArrayLike<number>, vocab: number): SearchStep {
    const curLen = this.running[0]?.tokens.length ?? this.promptLength;
    const candidates = this.topContinuations(logits, vocab, curLen);
    this.running = topBeams(
      candidates.map((c) => ({ ...c, score: c.score + (c.finished ? NEVER : 0) })),
      this.rows,
    );
    this.updateFinished(candidates, curLen);
    const allEnded = candidates.every((c) => c.finished);
    this.updateImprovementPossible(curLen + 1);
    const allFull = this.finished.every((b) => b.finished) && this.plan.earlyStopping === true;
    const done = !this.improvementPossible || allFull || allEnded;
    const tokens = this.running.map((b) => b.tokens[b.tokens.length - 1] as number);
    return { tokens, beamIdx: this.running.map((b) => b.parent), done, final: [] };
  }

  /** Finished beams, best first, as Hugging Face's `sequences` / `sequences_scores`. */
  hypotheses(): Hypothesis[] {
    return this.finished.map((b) => {
      const generated = b.tokens.slice(this.promptLength);
      const ended = generated[generated.length - 1] === this.eosId;
      return {
        tokenIds: ended ? generated.slice(0, -1) : generated,
        score: b.score,
        confidence: meanProbability(b.logProbSum, generated.length),
        finishReason: ended ? 'eos' : 'length',
      };
    });
  }

  /** Log-softmax, processors, add the beam's score; keep the best 2×beams (beam, token) pairs. */
  private topContinuations(logits: ArrayLike<number>, vocab: number, curLen: number): Beam[] {
    const keep = 2 * this.rows;
    const best: { score: number; row: number; token: number }[] = [];
    for (let row = 0; row < this.rows; row++) {
      const beamNow = this.running[row] as Beam;
      const logProbs = logSoftmax(rowOf(logits, row, vocab));
      repetitionPenalty(logProbs, beamNow.tokens, this.plan.repetitionPenalty);
      suppressEndToken(logProbs, curLen - this.promptLength, this.plan.minNewTokens, this.eosId);
      for (let token = 0; token < vocab; token++) {
        insertTop(best, { score: (logProbs[token] as number) + beamNow.score, row, token }, keep);
      }
    }
    return best.map(({ score, row, token }) => {
      const tokens = [...(this.running[row] as Beam).tokens, token];
      return beam(tokens, score, row, token === this.eosId || curLen + 1 >= this.maxLength);
    });
  }

  /** Merge newly ended candidates among the top `beams` into the kept finished beams (HF _update_finished_beams). */
  private updateFinished(candidates: Beam[], curLen: number): void {
    const lengthNorm = (curLen + 1 - this.promptLength) ** this.plan.lengthPenalty;
    const full = this.finished.every((b) => b.finished) && this.plan.earlyStopping === true;
    const scored = candidates.map((c, i) => {
      const justFinished = c.finished && i < this.rows;
      let score = c.score / lengthNorm;
      if (full) score += NEVER;
      if (!this.improvementPossible) score += NEVER;
      if (!justFinished) score += NEVER;
      return { ...c, score, finished: justFinished };
    });
    this.finished = topBeams([...this.finished, ...scored], this.rows);
  }

  /** HF _check_early_stop_heuristic: can the best running beam still beat the worst finished one? */
  private updateImprovementPossible(curLen: number): void {
    const neverStop = this.plan.earlyStopping === 'never' && this.plan.lengthPenalty > 0;
    const bestLength = (neverStop ? this.maxLength : curLen) - this.promptLength;
    const bestPossible = (this.running[0] as Beam).score / bestLength ** this.plan.lengthPenalty;
    const worstFinished = Math.min(...this.finished.map((b) => b.score));
    const canImprove = this.finished.some((b) => bestPossible > (b.finished ? worstFinished : NEVER));
    this.improvementPossible &&= canImprove;
  }
}

function beam(tokens: number[], score: number, parent: number, finished = false): Beam {
  return { tokens, score, logProbSum: score, parent, finished };
}

/** The `k` highest-scoring beams, best first; equal scores keep their earlier order (as a stable top-k). */
function topBeams(beams: Beam[], k: number): Beam[] {
  return beams
    .map((b, i) => ({ b, i }))
    .sort((x, y) => y.b.score - x.b.score || x.i - y.i)
    .slice(0, k)
    .map(({ b }) => b);
}

/** Keeps `list` as the `k` best entries in descending score order (earlier entries win ties). */
function insertTop<T extends { score: number }>(list: T[], item: T, k: number): void {
  if (list.length === k && item.score <= (list[k - 1] as T).score) return;
  let at = list.length;
  while (at > 0 && (list[at - 1] as T).score < item.score) at--;
  list.splice(at, 0, item);
  if (list.length > k) list.pop();
}
