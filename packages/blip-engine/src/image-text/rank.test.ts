import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rerankScore, topBySimilarity } from './rank.js';

const v = (...xs: number[]) => Float32Array.from(xs);

test('the k most similar, best first, ties by index, as a full sort would give', () => {
  const vectors = Array.from({ length: 200 }, (_, i) => v(Math.cos(i), Math.sin(i), ((i * 7) % 5) / 5));
  const query = v(0.6, 0.8, 0);
  const full = vectors
    .map((x, index) => ({ index, score: x.reduce((sum, value, i) => sum + value * (query[i] as number), 0) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  assert.deepEqual(topBySimilarity(query, vectors, 7), full.slice(0, 7));
  assert.deepEqual(
    topBySimilarity(v(1, 0), [v(0, 1), v(1, 0), v(1, 0)], 2).map((s) => s.index),
    [1, 2],
  );
});

test('k larger than the library, k = 0, and a vector of the wrong length', () => {
  assert.equal(topBySimilarity(v(1, 0), [v(1, 0)], 10).length, 1);
  assert.deepEqual(topBySimilarity(v(1, 0), [v(1, 0)], 0), []);
  assert.throws(() => topBySimilarity(v(1, 0), [v(1, 0, 0)], 1), /vector 0 has 3 values/);
  assert.throws(() => topBySimilarity(v(1, 0), [], -1), RangeError);
});

test('a re-rank score is the matching log-odds plus similarity / temperature, finite at 0 and 1', () => {
  assert.equal(rerankScore(0, 0.5), 0);
  assert.ok(Math.abs(rerankScore(0.14, 0.8) - (Math.log(4) + 2)) < 1e-12);
  assert.ok(rerankScore(0.2, 0.6) > rerankScore(0.1, 0.6), 'higher similarity, higher score');
  assert.ok(rerankScore(0.1, 0.7) > rerankScore(0.1, 0.6), 'higher match, higher score');
  // A sure matching head outweighs a small difference in similarity, an unsure one does not.
  assert.ok(rerankScore(0.1, 0.99) > rerankScore(0.2, 0.6));
  assert.ok(rerankScore(0.3, 0.45) > rerankScore(0.1, 0.55));
  for (const p of [0, 1]) assert.ok(Number.isFinite(rerankScore(0.1, p)));
});
