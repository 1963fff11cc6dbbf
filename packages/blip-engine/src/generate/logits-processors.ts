// Logits processors and warpers with Hugging Face transformers 5.23 semantics. Each one changes one row of
// scores (float64, one entry per vocabulary id) in place and returns it, so they compose as a list.

/**
 * CTRL-style repetition penalty: for every id already in the sequence (prompt and decoder start included,
 * as Hugging Face does), a negative score is multiplied by `penalty` and a positive one divided by it.
 */
export function repetitionPenalty(
  scores: Float64Array,
  sequence: readonly number[],
  penalty: number,
): Float64Array {
  if (penalty === 1) return scores;
  for (const id of new Set(sequence)) {
    if (id < 0 || id >= scores.length) continue;
    const score = scores[id] as number;
    scores[id] = score < 0 ? score * penalty : score / penalty;
  }
  return scores;
}

/** Minimum new tokens: while fewer than `minNewTokens` tokens were generated, the end token cannot be chosen. */
export function suppressEndToken(
  scores: Float64Array,
  generated: number,
  minNewTokens: number,
  eosId: number,
): Float64Array {
  if (generated < minNewTokens && eosId < scores.length) scores[eosId] = Number.NEGATIVE_INFINITY;
  return scores;
}

/** Temperature: scores divided by `temperature` (> 0); below 1 sharpens the distribution, above 1 flattens it. */
export function temperatureWarp(scores: Float64Array, temperature: number): Float64Array {
  if (temperature === 1) return scores;
  for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] as number) / temperature;
  return scores;
}

/** Top-k: every score below the k-th largest becomes −Infinity (ties with the k-th survive, as in HF); 0 = off. */
export function topKWarp(scores: Float64Array, topK: number): Float64Array {
  if (topK <= 0 || topK >= scores.length) return scores;
  const kth = Float64Array.from(scores).sort()[scores.length - topK] as number; // typed sort: numeric, fast
  for (let i = 0; i < scores.length; i++)
    if ((scores[i] as number) < kth) scores[i] = Number.NEGATIVE_INFINITY;
  return scores;
}

/**
 * Top-p (nucleus): walking the distribution from the least likely token up, tokens are removed while the
 * cumulative probability stays ≤ 1 − p; the most likely token always survives. p = 1 is off.
 */
export function topPWarp(scores: Float64Array, topP: number): Float64Array {
  if (topP >= 1) return scores;
  // Only tokens still possible need sorting (after top-k that is a handful, not the whole vocabulary).
  const order = [...scores.keys()]
    .filter((id) => (scores[id] as number) > Number.NEGATIVE_INFINITY)
    .sort((a, b) => (scores[a] as number) - (scores[b] as number));
  if (order.length <= 1) return scores;
  const max = scores[order[order.length - 1] as number] as number;
  let total = 0;
  for (const id of order) total += Math.exp((scores[id] as number) - max);
  let cumulative = 0;
  for (let rank = 0; rank < order.length - 1; rank++) {
    const id = order[rank] as number;
    cumulative += Math.exp((scores[id] as number) - max) / total;
    if (cumulative > 1 - topP) break;
    scores[id] = Number.NEGATIVE_INFINITY;
  }
  return scores;
}
