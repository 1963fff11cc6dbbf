// The first pass of a text-to-image search (the k stored image vectors most similar to a query vector) and the score a
// re-rank orders its candidates by. Unit vectors, so cosine similarity is the dot product; one pass over the vectors
// with a small sorted top list (O(n·D + n·log k)), no full sort of every score.

/** One stored vector's place in the result: its index in the input and its cosine similarity. */
export interface Scored {
  index: number;
  score: number;
}

/** The `k` vectors most similar to `query`, best first (ties: lower index first). Vectors of another length are refused. */
export function topBySimilarity(query: Float32Array, vectors: readonly Float32Array[], k: number): Scored[] {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be an integer >= 0, got ${k}`);
  const top: Scored[] = [];
  if (k === 0) return top;
  for (let index = 0; index < vectors.length; index++) {
    const vector = vectors[index] as Float32Array;
    if (vector.length !== query.length)
      throw new RangeError(`vector ${index} has ${vector.length} values, the query ${query.length}`);
    let score = 0;
    for (let i = 0; i < vector.length; i++) score += (vector[i] as number) * (query[i] as number);
    if (top.length === k && score <= (top[k - 1] as Scored).score) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1] as Scored).score < score) at--;
    top.splice(at, 0, { index, score });
    if (top.length > k) top.pop();
  }
  return top;
}

/**
 * The contrastive temperature: similarity / τ is the contrastive head's logit as BLIP trains it (0.07 is BLIP's
 * starting value and the demo model's fixed one; exported checkpoints do not carry a learned value).
 */
export const CONTRASTIVE_TEMPERATURE = 0.07;
/** Probabilities are clamped this far from 0 and 1 (float32 saturates), so the log-odds stay finite. */
const PROBABILITY_EDGE = 1e-7;

/**
 * A re-ranked candidate's score: the matching head's log-odds plus the contrastive head's logit (similarity / τ).
 * Both heads answer the same question (does the text describe the image?); adding their logits counts them as
 * two pieces of evidence, so the first pass still weighs in where the matching head is unsure. (BLIP's own
 * retrieval evaluation also adds the matching score to the similarity.) On the demo world it lifts recall@1 of
 * full captions by 2.5-5 points over the matching head alone, on two sets of seeds (BENCHMARKS.md).
 */
export function rerankScore(similarity: number, probability: number): number {
  const p = Math.min(Math.max(probability, PROBABILITY_EDGE), 1 - PROBABILITY_EDGE);
  return Math.log(p / (1 - p)) + similarity / CONTRASTIVE_TEMPERATURE;
}
