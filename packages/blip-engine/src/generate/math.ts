// Numerics shared by the decoding pieces. Scores are kept in float64: Hugging Face works in float32, and
// doubles keep our rounding well below its, so rankings only differ where the model itself is tied.

/** Index of the largest value; the first one wins a tie, as torch.argmax does. */
export function argmax(scores: ArrayLike<number>): number {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) {
    const value = scores[i] as number;
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}

/** log Σ exp(x) computed stably (max + log Σ exp(x − max)): log-probability of i = x[i] − logSumExp(x). */
export function logSumExp(scores: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i] as number);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += Math.exp((scores[i] as number) - max);
  return max + Math.log(sum);
}

/** log(softmax(x)) computed stably (x − logSumExp(x)); −Infinity entries stay −Infinity. */
export function logSoftmax(scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  const logSum = logSumExp(scores);
  for (let i = 0; i < scores.length; i++) out[i] = (scores[i] as number) - logSum;
  return out;
}

/** softmax(x) as probabilities that sum to 1; −Infinity entries get probability 0. */
export function softmax(scores: ArrayLike<number>): Float64Array {
  const out = logSoftmax(scores);
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(out[i] as number);
  return out;
}

/** Copies one row of a row-major [rows, width] buffer into `into` (default: a new float64 array). */
export function rowOf(
  buffer: ArrayLike<number>,
  row: number,
  width: number,
  into: Float64Array<ArrayBuffer> = new Float64Array(width),
): Float64Array<ArrayBuffer> {
  const start = row * width;
  for (let i = 0; i < width; i++) into[i] = buffer[start + i] as number;
  return into;
}

/**
 * Confidence of a generated sequence: the geometric mean of the probabilities its chosen tokens had
 * (exp of the mean log-probability), in [0, 1]; 0 when nothing was generated. The geometric mean rather
 * than the minimum: one unsure word in a long caption should lower it, not decide it.
 */
export function meanProbability(logProbSum: number, tokens: number): number {
  if (tokens === 0 || !Number.isFinite(logProbSum)) return 0;
  return Math.min(1, Math.exp(logProbSum / tokens));
}
