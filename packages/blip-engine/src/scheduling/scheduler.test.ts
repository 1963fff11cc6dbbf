import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlipError } from '../errors.js';
import { Scheduler } from './scheduler.js';

const isCode = (code: string) => (error: unknown) => error instanceof BlipError && error.code === code;

test('concurrency 1, queue 2: a burst of 10 gets 1 running, 2 waiting, 7 OVERLOADED at once', async () => {
  const scheduler = new Scheduler(1, 2);
  const calls = Array.from({ length: 10 }, () => scheduler.acquire());
  const settled = await Promise.race([
    Promise.allSettled(calls.slice(3)),
    new Promise((resolve) => setTimeout(() => resolve('timeout'), 100)),
  ]);
  assert.notEqual(settled, 'timeout', 'refusals must not wait');
  for (const result of settled as PromiseSettledResult<unknown>[]) {
    assert.equal(result.status, 'rejected');
    assert.ok(isCode('OVERLOADED')((result as PromiseRejectedResult).reason));
  }
  assert.deepEqual(scheduler.depth(), { running: 1, waiting: 2 });
  const order: number[] = [];
  for (const [i, call] of calls.slice(0, 3).entries()) {
    const slot = await call;
    order.push(i);
    slot.release();
    slot.release(); // idempotent: must not free two slots
  }
  assert.deepEqual(order, [0, 1, 2]);
  assert.deepEqual(scheduler.depth(), { running: 0, waiting: 0 });
});

test('a waiter whose signal aborts leaves the line with CANCELLED', async () => {
  const scheduler = new Scheduler(1, 4);
  const first = await scheduler.acquire();
  const controller = new AbortController();
  const waiting = scheduler.acquire({ signal: controller.signal });
  assert.equal(scheduler.depth().waiting, 1);
  controller.abort();
  await assert.rejects(waiting, isCode('CANCELLED'));
  assert.equal(scheduler.depth().waiting, 0);
  first.release();
  assert.equal(scheduler.depth().running, 0);
});

test('limits are validated', () => {
  assert.throws(() => new Scheduler(0, 1), /concurrency/);
  assert.throws(() => new Scheduler(1, -1), /maxQueue/);
});

test('a waiter hears its place in line, again each time the line moves; a free slot says 0', async () => {
  const scheduler = new Scheduler(1, 3);
  const heard: number[][] = [[], [], []];
  const first = await scheduler.acquire({ onPosition: (p) => heard[0]?.push(p) });
  const second = scheduler.acquire({ onPosition: (p) => heard[1]?.push(p) });
  const third = scheduler.acquire({ onPosition: (p) => heard[2]?.push(p) });
  assert.deepEqual(heard, [[0], [1], [2]]);
  first.release();
  (await second).release();
  (await third).release();
  assert.deepEqual(heard, [[0], [1], [2, 1]]);
});

test('reserve is all or nothing: room for 3 of 4 refuses a reservation of 4 and holds nothing', async () => {
  const scheduler = new Scheduler(1, 3);
  const busy = await scheduler.acquire();
  assert.throws(() => scheduler.reserve(4), isCode('OVERLOADED'));
  const held = scheduler.reserve(3);
  // The held room counts: nobody else gets in, the reservation's calls do.
  await assert.rejects(scheduler.acquire(), isCode('OVERLOADED'));
  const calls = [1, 2, 3].map(() => scheduler.acquire({ reservation: held }));
  assert.equal(held.remaining, 0);
  await assert.rejects(scheduler.acquire({ reservation: held }), /no generation left/);
  busy.release();
  for (const call of calls) (await call).release();
  assert.deepEqual(scheduler.depth(), { running: 0, waiting: 0 });
});

test('releasing a reservation gives back the room it did not use', () => {
  const scheduler = new Scheduler(1, 1);
  const held = scheduler.reserve(2);
  assert.throws(() => scheduler.reserve(1), isCode('OVERLOADED'));
  held.release();
  scheduler.reserve(2).release();
});
