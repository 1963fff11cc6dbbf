// The confidence threshold's rule: the lowest per-set quantile, so no in-world set loses more than its share.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confident, thresholdFor } from './report.js';
import type { Outcome } from './run-eval.js';

const answers = (confidences: number[], right = true): Outcome[] =>
  confidences.map((confidence) => ({ type: 'count', right, confidence }));

test('the threshold keeps all but the quantile of EVERY set above it, not just of the pool', () => {
  const easy = answers(Array.from({ length: 900 }, (_, i) => 0.95 + i / 20_000));
  const hard = answers(Array.from({ length: 100 }, (_, i) => 0.5 + i / 200));
  const threshold = thresholdFor([easy, hard], 0.03);
  assert.ok(threshold !== null);
  for (const set of [easy, hard]) {
    const above = set.filter((o) => confident(o, threshold)).length / set.length;
    assert.ok(above >= 0.97, `${above}`);
  }
  // Pooled, the 3 % quantile would fall inside the hard set and leave 70 % of it under the threshold.
  assert.equal(thresholdFor([[...easy, ...hard]], 0.03), hard[29]?.confidence);
});

test('wrong answers, captions and answers without a confidence do not move it; no confidence at all gives null', () => {
  const set = [
    ...answers([0.9, 0.8]),
    ...answers([0.1], false),
    { type: 'caption', right: true, confidence: 0.01 },
    { type: 'count', right: true, confidence: null },
  ];
  assert.equal(thresholdFor([set], 0), 0.8);
  assert.equal(thresholdFor([[{ type: 'count', right: true, confidence: null }], []], 0.03), null);
});
