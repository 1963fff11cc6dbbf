// What the picture-search grid says about each hit. The API returns the hits best first (ordered by `score`: for
// re-ranked hits the matching head's log-odds plus similarity / 0.07, a sum people cannot read), so the grid shows
// the rank as the order and the matching head's probability only as a labelled detail: that probability is one of
// two terms of the order, so it can rise down the list and must never look like the order itself.
import type { ImageHit } from './api.js';

type HitScores = Pick<ImageHit, 'match' | 'similarity'>;

/** The hit's place in the API's order, 1-based: "#1". */
export function rankText(index: number): string {
  return `#${index + 1}`;
}

/** The detail under a hit: the matching head's probability when it re-ranked the hit, else the cosine similarity. */
export function detailText(hit: HitScores): string {
  return hit.match !== null && hit.match !== undefined
    ? `match ${Math.round(hit.match * 100)}%`
    : `similarity ${hit.similarity.toFixed(2)}`;
}

/** The line above the grid saying what the rank and the detail are (the detail is not the order). */
export function legendText(hits: readonly HitScores[]): string {
  const reranked = hits.some((hit) => hit.match !== null && hit.match !== undefined);
  return reranked
    ? 'Ranked by two checks together; “match” is one of them alone, so it need not fall down the list.'
    : 'Ranked by how similar each picture is to the text.';
}
