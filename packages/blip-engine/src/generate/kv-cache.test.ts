import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Tensor } from '../openvino/index.js';
import { cacheFromPresent, emptyCache, gatherRows, releaseCache, reorderCache } from './kv-cache.js';

const inputs = [
  { names: ['input_ids'], partialShape: { dims: [-1, -1] } },
  { names: ['past_key.0'], partialShape: { dims: [-1, 4, -1, 16] } },
  { names: ['past_value.0'], partialShape: { dims: [-1, -1, -1, -1] } },
  { names: ['cross_key.0'], partialShape: { dims: [-1, 4, -1, 16] } },
];

test('the empty cache has one zero-length tensor per past input, shaped from the metadata', () => {
  const cache = emptyCache(inputs, 3, { heads: 4, headSize: 16 });
  assert.deepEqual([...cache.tensors.keys()], ['past_key.0', 'past_value.0']);
  assert.deepEqual(cache.tensors.get('past_key.0')?.shape, [3, 4, 0, 16]);
  assert.deepEqual(cache.tensors.get('past_value.0')?.shape, [3, 4, 0, 16]); // dynamic dims from the manifest
  assert.equal(cache.length, 0);
  assert.equal(cache.owned, true);
  releaseCache(cache);
  assert.throws(() => cache.tensors.get('past_key.0')?.native, /dispose/);
});

test('present outputs become past inputs as they are (no copy), and are not ours to free', () => {
  const present = new Tensor('f32', [1, 1, 2, 2], new Float32Array([1, 2, 3, 4]));
  const outputs = { logits: new Tensor('f32', [1, 1, 5]), 'present_key.0': present };
  const cache = cacheFromPresent(outputs, 2);
  assert.deepEqual([...cache.tensors.keys()], ['past_key.0']);
  assert.equal(cache.tensors.get('past_key.0'), present);
  assert.equal(cache.length, 2);
  releaseCache(cache);
  assert.ok(present.native, 'a borrowed cache stays with the request that made it');
});

test('beam reordering gathers whole batch rows into tensors of our own, repeats allowed', () => {
  // batch 2, heads 1, length 1, head size 2: row 0 = [1, 2], row 1 = [3, 4]
  const data = new Float32Array([1, 2, 3, 4]);
  const tensor = { data, shape: [2, 1, 1, 2] as [number, number, number, number] };
  assert.deepEqual([...gatherRows(tensor, [1, 1, 0]).data], [3, 4, 3, 4, 1, 2]);
  const cache = {
    length: 1,
    tensors: new Map([['past_key.0', new Tensor('f32', [2, 1, 1, 2], data)]]),
    owned: false,
  };
  const reordered = reorderCache(cache, [1, 0]);
  assert.deepEqual([...(reordered.tensors.get('past_key.0')?.data ?? [])], [3, 4, 1, 2]);
  assert.equal(reordered.owned, true);
  assert.equal(reordered.length, 1);
  assert.throws(() => gatherRows(tensor, [2]), /outside the batch/);
});
