import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drawIndex, seededRandom } from './prng.js';

test('the same seed gives the same stream, another seed another stream', () => {
  const take = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
  assert.deepEqual(take(42), take(42));
  assert.notDeepEqual(take(42), take(43));
});

test('values are uniform in [0, 1): 10k draws fill 10 bins evenly', () => {
  const random = seededRandom(7);
  const bins = new Array<number>(10).fill(0);
  for (let i = 0; i < 10_000; i++) {
    const u = random();
    assert.ok(u >= 0 && u < 1);
    bins[Math.floor(u * 10)] = (bins[Math.floor(u * 10)] as number) + 1;
  }
  for (const count of bins) assert.ok(count > 900 && count < 1100, `bin count ${count}`);
});

test('drawIndex follows the probabilities and never picks a zero-probability index', () => {
  const random = seededRandom(1);
  const counts = [0, 0, 0];
  for (let i = 0; i < 10_000; i++) {
    const drawn = drawIndex([0.25, 0, 0.75], random);
    counts[drawn] = (counts[drawn] ?? 0) + 1;
  }
  assert.equal(counts[1], 0);
  assert.ok(Math.abs((counts[2] as number) / 10_000 - 0.75) < 0.02, `share ${counts[2]}`);
});
