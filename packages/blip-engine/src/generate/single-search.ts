// Greedy search and sampling: one row, one token per step, each final as soon as it is chosen.
import {
  repetitionPenalty,
  suppressEndToken,
  temperatureWarp,
  topKWarp,
  topPWarp,
} from './logits-processors.js';
import { argmax, logSoftmax, meanProbability, rowOf, softmax } from './math.js';
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
    const scores = rowOf(logits, 0, vocab);
    repetitionPenalty(scores, this.sequence, this.plan.repetitionPenalty);
    suppressEndToken(scores, this.generated.length, this.plan.minNewTokens, this.eosId);
    const token = this.random ? this.draw(scores) : argmax(scores);
    this.score += logSoftmax(scores)[token] as number;
    this.sequence.push(token);
    this.generated.push(token);
    const done = token === this.eosId || this.generated.length >= this.plan.maxNewTokens;
    return { tokens: [token], beamIdx: null, done, final: [token] };
  }

  hypotheses(): Hypothesis[] {
    const last = this.generated[this.generated.length - 1];
    const ended = last === this.eosId;
    const tokenIds = ended ? this.generated.slice(0, -1) : [...this.generated];
    const confidence = meanProbability(this.score, this.generated.length);
    return [{ tokenIds, score: this.score, confidence, finishReason: ended ? 'eos' : 'length' }];
  }

  private draw(scores: Float64Array): number {
    const warped = topPWarp(
      topKWarp(temperatureWarp(Float64Array.from(scores), this.plan.temperature), this.plan.topK),
      this.plan.topP,
    );
    return drawIndex(softmax(warped), this.random as () => number);
  }
}
