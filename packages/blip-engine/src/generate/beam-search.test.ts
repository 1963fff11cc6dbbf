import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BeamSearch } from './beam-search.js';
import { type DecodingPlan, resolveGenerationOptions } from './options.js';
import type { Search } from './search.js';
import { SingleSearch } from './single-search.js';

// A four-token world: 0 = A, 1 = B, 2 = end, 3 = start. The next-token distribution depends on the last token
// only, written as probabilities so the expected scores can be worked out by hand.
const END = 2;
const NEXT: Record<number, number[]> = {
  3: [0.5, 0.4, 0.1, 1e-9],
  0: [0.36, 0.34, 0.3, 1e-9],
  1: [0.05, 0.05, 0.9, 1e-9],
};
const HF = { max_length: 4, min_length: 0, num_beams: 1, repetition_penalty: 1, length_penalty: 1 };
const plan = (options: object): DecodingPlan =>
  resolveGenerationOptions(options, HF, { promptLength: 1, maxPositions: 64 });

/** Drives a search with the table above, rows reordered as the search says (what the KV cache would do). */
function run(search: Search): void {
  let lastTokens = Array.from({ length: search.rows }, () => 3);
  for (let step = 0; step < 10; step++) {
    const logits = lastTokens.flatMap((t) => (NEXT[t] as number[]).map(Math.log));
    const next = search.next(logits, 4);
    lastTokens = next.tokens;
    if (next.done) return;
  }
  assert.fail('search never finished');
}

test("greedy's deferred score survives the decoder overwriting the logits it lent (settle() after the next run)", () => {
  const search = new SingleSearch(plan({}), [3], END);
  const lent = new Float64Array(4); // one output buffer, as the decoder's memory is
  let last = 3;
  for (let step = 0; step < 3; step++) {
    lent.set((NEXT[last] as number[]).map(Math.log));
    last = search.next(lent, 4).tokens[0] as number;
    lent.fill(123); // the next run writes over it before settle()
    search.settle?.();
  }
  assert.ok(Math.abs((search.hypotheses()[0]?.score ?? 0) - Math.log(0.5 * 0.36 * 0.36)) < 1e-8);
});

test('greedy follows the locally best token to the length limit', () => {
  const search = new SingleSearch(plan({}), [3], END);
  run(search);
  const [best] = search.hypotheses();
  assert.deepEqual(best?.tokenIds, [0, 0, 0]);
  assert.equal(best?.finishReason, 'length');
  assert.ok(Math.abs((best?.score ?? 0) - Math.log(0.5 * 0.36 * 0.36)) < 1e-8);
});

test('two beams find the better short answers, scored sum(log p) / length as HF', () => {
  const search = new BeamSearch(plan({ numBeams: 2, numReturnSequences: 2 }), [3], END);
  run(search);
  const [first, second] = search.hypotheses();
  assert.deepEqual(first?.tokenIds, [1]);
  assert.ok(Math.abs((first?.score ?? 0) - Math.log(0.4 * 0.9) / 2) < 1e-8);
  assert.deepEqual(second?.tokenIds, [0, 1]);
  assert.ok(Math.abs((second?.score ?? 0) - Math.log(0.5 * 0.34 * 0.9) / 3) < 1e-8);
  assert.equal(first?.finishReason, 'eos');
});

test('length penalty 0 ranks by summed log-probability and min new tokens forbids the early end', () => {
  const search = new BeamSearch(plan({ numBeams: 2, lengthPenalty: 0, minNewTokens: 2 }), [3], END);
  run(search);
  const [first] = search.hypotheses();
  // B→end is forbidden at step 2; the best 3-token ending is A B end (0.5·0.34·0.9).
  assert.deepEqual(first?.tokenIds, [0, 1]);
  assert.ok(Math.abs((first?.score ?? 0) - Math.log(0.5 * 0.34 * 0.9)) < 1e-8);
});

test('beam steps reorder rows: each next row names the row it continues', () => {
  const search = new BeamSearch(plan({ numBeams: 2 }), [3], END);
  const first = search.next(
    [3, 3].flatMap((t) => (NEXT[t] as number[]).map(Math.log)),
    4,
  );
  assert.deepEqual(first.beamIdx, [0, 0]); // both live beams come from row 0 (row 1 starts at −1e9)
  assert.deepEqual(first.tokens, [0, 1]);
  assert.deepEqual(first.final, []);
});
