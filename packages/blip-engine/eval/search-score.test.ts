import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hitAt, Recall, rankByCosine, reorderTop } from './search-score.js';

const v = (...xs: number[]) => Float32Array.from(xs);

test('ranks by dot product, ties by index', () => {
  const ranked = rankByCosine([v(0, 1), v(1, 0), v(0.6, 0.8), v(1, 0)], v(1, 0));
  assert.deepEqual(
    ranked.map((r) => r.index),
    [1, 3, 2, 0],
  );
});

test('re-ranks only the top k and keeps the rest in order', () => {
  const ranked = [0, 1, 2, 3].map((index) => ({ index, score: 1 - index / 10 }));
  const rescored = reorderTop(ranked, [0.1, 0.2, 0.9]);
  assert.deepEqual(
    rescored.map((r) => r.index),
    [2, 1, 0, 3],
  );
});

test('a hit at k is any relevant image among the first k; recall counts queries', () => {
  const ranked = [4, 7, 1].map((index) => ({ index, score: 0 }));
  assert.equal(hitAt(ranked, new Set([1]), 2), false);
  assert.equal(hitAt(ranked, new Set([1, 9]), 3), true);
  const recall = new Recall([1, 5]);
  recall.add(ranked, new Set([4]));
  recall.add(ranked, new Set([7]));
  assert.equal(recall.percent(1), '50.0 %');
  assert.equal(recall.percent(5), '100.0 %');
});
