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
  const waiting = scheduler.acquire(controller.signal);
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
