import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from './request-pool.js';

test('items are made on demand up to max, reused, and returned even when the work throws', async () => {
  let made = 0;
  const pool = new Pool(() => ({ id: made++ }), 2);
  const first = await pool.use(async (item) => item.id);
  const again = await pool.use(async (item) => item.id);
  assert.equal(first, again); // reused, not remade
  await assert.rejects(
    pool.use(async () => {
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(pool.busy, 0);
  assert.equal(made, 1);
});

test('a third caller waits for one of two busy items', async () => {
  const pool = new Pool(() => ({}), 2);
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const holders = [pool.use(() => gate), pool.use(() => gate)];
  let thirdRan = false;
  const third = pool.use(async () => {
    thirdRan = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(thirdRan, false);
  assert.equal(pool.busy, 2);
  release();
  await Promise.all([...holders, third]);
  assert.equal(thirdRan, true);
  assert.equal(pool.busy, 0);
});
