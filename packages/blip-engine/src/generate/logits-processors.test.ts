import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  repetitionPenalty,
  suppressEndToken,
  temperatureWarp,
  topKWarp,
  topPWarp,
} from './logits-processors.js';

const row = (...values: number[]) => Float64Array.from(values);
const NEG = Number.NEGATIVE_INFINITY;

test('repetition penalty divides positive and multiplies negative scores of seen ids, once per id', () => {
  const scores = repetitionPenalty(row(2, -2, 4, 1), [0, 1, 1, 99], 2);
  assert.deepEqual([...scores], [1, -4, 4, 1]);
});

test('repetition penalty 1 leaves scores alone', () => {
  assert.deepEqual([...repetitionPenalty(row(2, -2), [0, 1], 1)], [2, -2]);
});

test('the end token is suppressed only until minNewTokens tokens exist', () => {
  assert.equal(suppressEndToken(row(0, 5), 1, 2, 1)[1], NEG);
  assert.equal(suppressEndToken(row(0, 5), 2, 2, 1)[1], 5);
});

test('temperature divides every score', () => {
  assert.deepEqual([...temperatureWarp(row(1, -2, 4), 0.5)], [2, -4, 8]);
});

test('top-k keeps the k largest and ties with the k-th', () => {
  assert.deepEqual([...topKWarp(row(1, 3, 2, 3, 0), 2)], [NEG, 3, NEG, 3, NEG]);
  assert.deepEqual([...topKWarp(row(1, 3, 2), 2)], [NEG, 3, 2]);
  assert.deepEqual([...topKWarp(row(1, 3, 2), 0)], [1, 3, 2]);
});

test('top-p keeps the smallest set of likely tokens whose probability reaches p', () => {
  // probabilities 0.1, 0.2, 0.3, 0.4 (as logs): p = 0.65 keeps 0.4 + 0.3; p = 0.75 also needs 0.2.
  const logs = [0.1, 0.2, 0.3, 0.4].map(Math.log);
  const kept = (p: number) => [...topPWarp(Float64Array.from(logs), p)].map((s) => s !== NEG);
  assert.deepEqual(kept(0.65), [false, false, true, true]);
  assert.deepEqual(kept(0.75), [false, true, true, true]);
  assert.deepEqual(kept(0.01), [false, false, false, true]);
  assert.deepEqual(kept(1), [true, true, true, true]);
});
