import assert from 'node:assert/strict';
import { test } from 'node:test';
import { followedBy } from './encoders.js';

test("an answer's memory is the question's tokens, then the image's, each token's values intact", () => {
  const question = { data: Float32Array.from([1, 2, 3, 4]), shape: [1, 2, 2] };
  const image = { data: Float32Array.from([5, 6, 7, 8, 9, 10]), shape: [1, 3, 2] };
  const memory = followedBy(question, image);
  assert.deepEqual(memory.shape, [1, 5, 2]);
  assert.deepEqual([...memory.data], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});
