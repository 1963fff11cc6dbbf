// The first pass of a text-to-image search: the k stored image vectors most similar to a query vector. Unit
// vectors, so cosine similarity is the dot product; one pass over the vectors with a small sorted top list
// (O(n·D + n·log k)), no full sort of every score.

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
