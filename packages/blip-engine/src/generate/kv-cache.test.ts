import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheFromPresent, cacheLength, emptyCache, gatherRows, reorderCache } from './kv-cache.js';

const inputs = [
  { names: ['input_ids'], partialShape: { dims: [-1, -1] } },
  { names: ['past_key.0'], partialShape: { dims: [-1, 4, -1, 16] } },
  { names: ['past_value.0'], partialShape: { dims: [-1, -1, -1, -1] } },
  { names: ['cross_key.0'], partialShape: { dims: [-1, 4, -1, 16] } },
];

test('the empty cache has one zero-length tensor per past input, shaped from the metadata', () => {
  const cache = emptyCache(inputs, 3, { heads: 4, headSize: 16 });
  assert.deepEqual([...cache.keys()], ['past_key.0', 'past_value.0']);
  assert.deepEqual(cache.get('past_key.0')?.shape, [3, 4, 0, 16]);
  assert.deepEqual(cache.get('past_value.0')?.shape, [3, 4, 0, 16]); // dynamic dims filled from the manifest
  assert.equal(cacheLength(cache), 0);
});

test('present outputs become past inputs, copied so the request can reuse its memory', () => {
  const present = new Float32Array([1, 2, 3, 4]);
  const outputs = new Map([
    ['logits', { data: new Float32Array(5), shape: [1, 1, 5] }],
    ['present_key.0', { data: present, shape: [1, 1, 2, 2] }],
  ]);
  const cache = cacheFromPresent(outputs);
  assert.deepEqual([...cache.keys()], ['past_key.0']);
  present[0] = 99;
  assert.deepEqual([...(cache.get('past_key.0')?.data ?? [])], [1, 2, 3, 4]);
  assert.equal(cacheLength(cache), 2);
});

test('beam reordering gathers whole batch rows, repeats allowed', () => {
  // batch 2, heads 1, length 1, head size 2: row 0 = [1, 2], row 1 = [3, 4]
  const tensor = {
    data: new Float32Array([1, 2, 3, 4]),
    shape: [2, 1, 1, 2] as [number, number, number, number],
  };
  assert.deepEqual([...gatherRows(tensor, [1, 1, 0]).data], [3, 4, 3, 4, 1, 2]);
  const cache = reorderCache(new Map([['past_key.0', tensor]]), [1, 0]);
  assert.deepEqual([...(cache.get('past_key.0')?.data ?? [])], [3, 4, 1, 2]);
  assert.throws(() => gatherRows(tensor, [2]), /outside the batch/);
});
