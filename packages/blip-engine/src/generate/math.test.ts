import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argmax, logSoftmax, logSumExp, rowOf, softmax } from './math.js';

test('argmax picks the first of equal maxima, as torch does', () => {
  assert.equal(argmax([1, 3, 3, 2]), 1);
  assert.equal(argmax([Number.NEGATIVE_INFINITY, -5]), 1);
});

test('logSoftmax is stable for large logits and matches log(exp/sum)', () => {
  const ls = logSoftmax([1000, 1001, 1002]);
  const expected = [-2.40760596444438, -1.40760596444438, -0.40760596444438];
  for (let i = 0; i < 3; i++) assert.ok(Math.abs((ls[i] as number) - (expected[i] as number)) < 1e-12);
});

test('softmax sums to one and gives masked tokens zero', () => {
  const p = softmax([0, Number.NEGATIVE_INFINITY, 1]);
  assert.equal(p[1], 0);
  assert.ok(Math.abs((p[0] as number) + (p[2] as number) - 1) < 1e-12);
});

test('rowOf copies one row of a row-major buffer', () => {
  assert.deepEqual([...rowOf(new Float32Array([1, 2, 3, 4, 5, 6]), 1, 3)], [4, 5, 6]);
});

test('logSumExp is the normaliser logSoftmax subtracts, bit for bit, and survives huge and -Infinity scores', () => {
  const scores = [3.5, -1e9, Number.NEGATIVE_INFINITY, 1000, 999.25];
  const lse = logSumExp(scores);
  const logProbs = logSoftmax(scores);
  for (const [i, s] of scores.entries()) assert.equal(s - lse, logProbs[i]);
  assert.ok(Math.abs(lse - (1000 + Math.log(1 + Math.exp(-0.75)))) < 1e-9);
});
