import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median, percentile } from './stats.js';

test('nearest-rank percentiles; NaN for no values', () => {
  const values = Array.from({ length: 30 }, (_, i) => 30 - i); // 30..1, unsorted on purpose
  assert.equal(percentile(values, 50), 15);
  assert.equal(percentile(values, 95), 29);
  assert.equal(percentile(values, 100), 30);
  assert.equal(percentile([7], 95), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});
