import assert from 'node:assert/strict';
import { test } from 'node:test';
import { float16Array, fromFloat16, fromFloat16Array, toFloat16 } from './float16.js';

test('known half-float bit patterns', () => {
  const cases: [number, number][] = [
    [0, 0x0000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff],
    [2 ** -24, 0x0001],
    [2 ** -14, 0x0400],
    [Number.POSITIVE_INFINITY, 0x7c00],
  ];
  for (const [value, bits] of cases) {
    assert.equal(toFloat16(value), bits, `toFloat16(${value})`);
    assert.equal(fromFloat16(bits), value, `fromFloat16(0x${bits.toString(16)})`);
  }
  assert.equal(toFloat16(1e6), 0x7c00, 'overflow becomes +Infinity');
  assert.ok(Number.isNaN(fromFloat16(toFloat16(Number.NaN))));
});

test('rounds to nearest even and round-trips every finite half', () => {
  assert.equal(toFloat16(1 + 2 ** -11), 0x3c00, 'tie rounds down to even');
  assert.equal(toFloat16(1 + 3 * 2 ** -11), 0x3c02, 'tie rounds up to even');
  for (let bits = 0; bits < 0x7c00; bits++) assert.equal(toFloat16(fromFloat16(bits)), bits);
  assert.deepEqual(fromFloat16Array(float16Array([0.25, -3])), new Float32Array([0.25, -3]));
});
