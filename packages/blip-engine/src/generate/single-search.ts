// Greedy search and sampling: one row, one token per step, each final as soon as it is chosen.
import {
  repetitionPenalty,
  suppressEndToken,
  temperatureWarp,
  topKWarp,
  topPWarp,
} from './logits-processors.js';
import { argmax, logSumExp, meanProbability, rowOf, softmax } from './math.js';
import type { DecodingPlan } from './options.js';
import { drawIndex, seededRandom } from './prng.js';
import type { Hypothesis, Search, SearchStep } from './search.js';

/** Greedy (argmax) or seeded sampling over processed logits; the score is the summed log-probability (after the
 * repetition penalty and the min-length rule, before temperature and top-k/top-p), which confidence also uses. */
export class SingleSearch implements Search {
  readonly rows = 1;
  private readonly sequence: number[];
  private readonly generated: number[] = [];
  private score = 0;
  /** Reused for the processed row (30,524 doubles per step would otherwise feed the GC). */
  private scratch: Float64Array<ArrayBuffer> | null = null;
  /** The last token's processed row, copied (greedy's logits are borrowed); `unscored` until settle() scores it. */
  private lastRow: Float64Array<ArrayBuffer> | null = null;
  private unscored = false;
  private readonly random: (() => number) | null;

  constructor(
    private readonly plan: DecodingPlan,
    prompt: readonly number[],
    private readonly eosId: number,
  ) {
    this.sequence = [...prompt];
    this.random = plan.strategy === 'sample' ? seededRandom(plan.seed) : null;
  }

  /** Processes the logits as Hugging Face's _sample does, picks a token, stops at the end token or the length limit. */
  next(logits: ArrayLike<number>, vocab: number): SearchStep {
    this.settle();
    const scores = this.processed(logits, vocab);
    const token = this.random ? this.draw(scores) : argmax(scores);
    // The score waits for settle(): its logSumExp (30,524 exp() calls, ≈ 0.4 ms) runs while the decoder does.
    this.lastRow ??= new Float64Array(vocab);
    this.lastRow.set(scores); // processed() rows are `vocab` long
    this.unscored = true;
    this.sequence.push(token);
    this.generated.push(token);
    const done = token === this.eosId || this.generated.length >= this.plan.maxNewTokens;
    return { tokens: [token], beamIdx: null, done, final: [token] };
  }

  /** Adds the last token's log-probability to the score (the same figures, computed later). */
  settle(): void {
    if (!this.unscored || !this.lastRow) return;
    this.unscored = false;
    const token = this.generated[this.generated.length - 1] as number;
    // log p(token) = score − logSumExp: the same arithmetic as logSoftmax(scores)[token], without the vector.
    this.score += (this.lastRow[token] as number) - logSumExp(this.lastRow);
  }

  hypotheses(): Hypothesis[] {
    this.settle();
    const last = this.generated[this.generated.length - 1];
    const ended = last === this.eosId;
    const tokenIds = ended ? this.generated.slice(0, -1) : [...this.generated];
    const confidence = meanProbability(this.score, this.generated.length);
    return [{ tokenIds, score: this.score, confidence, finishReason: ended ? 'eos' : 'length' }];
  }

  /**
   * The row after the repetition penalty and the min-length rule. Greedy without either reads the logits
   * where they are (the decoder's output memory); otherwise one float64 copy into a buffer kept per search.
   */
  private processed(logits: ArrayLike<number>, vocab: number): ArrayLike<number> {
    const { repetitionPenalty: penalty, minNewTokens } = this.plan;
    const suppressing = this.generated.length < minNewTokens;
    if (!this.random && penalty === 1 && !suppressing && logits.length === vocab) return logits;
    this.scratch ??= new Float64Array(vocab);
    const scores = rowOf(logits, 0, vocab, this.scratch);
    repetitionPenalty(scores, this.sequence, penalty);
    return suppressEndToken(scores, this.generated.length, minNewTokens, this.eosId);
  }

  private draw(scores: ArrayLike<number>): number {
    const warped = topPWarp(
      topKWarp(temperatureWarp(Float64Array.from(scores), this.plan.temperature), this.plan.topK),
      this.plan.topP,
    );
    return drawIndex(softmax(warped), this.random as () => number);
  }
}
