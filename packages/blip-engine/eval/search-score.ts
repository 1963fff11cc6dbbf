// Scoring a text-to-image search: rank a library's image vectors by cosine similarity to a query's vector,
// optionally re-rank the top k by the matching head, and count a hit at k when one of the first k images is one
// the query is true of (a partial description may fit many scenes; any of them is right).

/** One library image's position in the ranking and its score. */
export interface Ranked {
  index: number;
  score: number;
}

/** Indices of `images` best first by dot product with `query` (unit vectors: cosine similarity). */
export function rankByCosine(images: readonly Float32Array[], query: Float32Array): Ranked[] {
  const ranked = images.map((vector, index) => {
    let score = 0;
    for (let i = 0; i < vector.length; i++) score += (vector[i] as number) * (query[i] as number);
    return { index, score };
  });
  return ranked.sort((a, b) => b.score - a.score || a.index - b.index);
}

/** The first `scores.length` of `ranked` re-ordered by `scores` (best first); the rest keep their order after them. */
export function reorderTop(ranked: readonly Ranked[], scores: readonly number[]): Ranked[] {
  const top = scores.map((score, i) => ({ index: (ranked[i] as Ranked).index, score }));
  top.sort((a, b) => b.score - a.score || a.index - b.index);
  return [...top, ...ranked.slice(scores.length)];
}

/** Whether one of the first k ranked images is relevant. */
export function hitAt(ranked: readonly Ranked[], relevant: ReadonlySet<number>, k: number): boolean {
  return ranked.slice(0, k).some((r) => relevant.has(r.index));
}

/** Hits per k over queries, as counts. */
export class Recall {
  readonly hits = new Map<number, number>();
  total = 0;

  constructor(readonly ks: readonly number[]) {}

  add(ranked: readonly Ranked[], relevant: ReadonlySet<number>): void {
    this.total++;
    for (const k of this.ks) this.hits.set(k, (this.hits.get(k) ?? 0) + (hitAt(ranked, relevant, k) ? 1 : 0));
  }

  /** Recall at k in percent, one decimal. */
  percent(k: number): string {
    return this.total === 0 ? '-' : `${((100 * (this.hits.get(k) ?? 0)) / this.total).toFixed(1)} %`;
  }
}
