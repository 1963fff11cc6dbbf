import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlipError } from '../errors.js';
import { bytesToDecode, DecodeGate } from './decode-gate.js';

const MB = 1_000_000;

test('at most maxConcurrentDecodes run; the rest enter in arrival order as others leave', async () => {
  const gate = new DecodeGate({ maxConcurrentDecodes: 2, decodeMemoryBytes: 100 * MB });
  const order: number[] = [];
  const entries = [0, 1, 2, 3].map((i) =>
    gate.enter(MB).then((leave) => {
      order.push(i);
      return leave;
    }),
  );
  const [a, b] = await Promise.all(entries.slice(0, 2));
  assert.deepEqual(gate.depth(), { running: 2, waiting: 2, bytes: 2 * MB });
  a?.();
  a?.(); // idempotent
  const c = await entries[2];
  assert.deepEqual(order, [0, 1, 2]);
  b?.();
  c?.();
  (await entries[3])?.();
  assert.deepEqual(gate.depth(), { running: 0, waiting: 0, bytes: 0 });
});

test('the memory budget holds: a big image waits for room, and one larger than the budget runs alone', async () => {
  const gate = new DecodeGate({ maxConcurrentDecodes: 8, decodeMemoryBytes: bytesToDecode(8000, 5000) });
  const big = bytesToDecode(8000, 5000);
  const small = await gate.enter(bytesToDecode(100, 100));
  let bigIn = false;
  const bigEntry = gate.enter(big).then((leave) => {
    bigIn = true;
    return leave;
  });
  const behind = gate.enter(bytesToDecode(10, 10)); // FIFO: does not overtake the big one
  await Promise.resolve();
  assert.equal(bigIn, false);
  small();
  const leaveBig = await bigEntry;
  assert.equal(gate.depth().running, 1);
  leaveBig();
  (await behind)();
  const huge = await gate.enter(big * 3);
  assert.equal(gate.depth().running, 1);
  huge();
});

test('a waiter whose signal aborts leaves the line with CANCELLED', async () => {
  const gate = new DecodeGate({ maxConcurrentDecodes: 1, decodeMemoryBytes: MB });
  const leave = await gate.enter(10);
  const controller = new AbortController();
  const waiting = gate.enter(10, controller.signal);
  controller.abort();
  await assert.rejects(waiting, (e) => e instanceof BlipError && e.code === 'CANCELLED');
  leave();
  assert.deepEqual(gate.depth(), { running: 0, waiting: 0, bytes: 0 });
});
