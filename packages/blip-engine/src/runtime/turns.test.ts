import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Turns } from './turns.js';

/** A promise settled from outside, and whether its work has started. */
function controlled() {
  let settle: { resolve: (v: string) => void; reject: (e: Error) => void } | null = null;
  const state = { started: false };
  const work = () => {
    state.started = true;
    return new Promise<string>((resolve, reject) => {
      settle = { resolve, reject };
    });
  };
  return { work, state, settle: () => settle as NonNullable<typeof settle> };
}

const ticks = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
};

test('a run starts only once every earlier run has settled, in the order asked', async () => {
  const turns = new Turns();
  const [a, b, c] = [controlled(), controlled(), controlled()];
  const ran = [turns.take(a.work), turns.take(b.work), turns.take(c.work)];
  await ticks();
  assert.deepEqual([a.state.started, b.state.started, c.state.started], [true, false, false]);
  a.settle().resolve('a');
  await ticks();
  assert.deepEqual([b.state.started, c.state.started], [true, false]);
  b.settle().resolve('b');
  await ticks();
  assert.equal(c.state.started, true);
  c.settle().resolve('c');
  assert.deepEqual(await Promise.all(ran), ['a', 'b', 'c']);
});

test('a failed run rejects its own caller and still hands the turn on', async () => {
  const turns = new Turns();
  const [a, b] = [controlled(), controlled()];
  const first = turns.take(a.work);
  const second = turns.take(b.work);
  await ticks();
  a.settle().reject(new Error('boom'));
  await assert.rejects(first, /boom/);
  await ticks();
  assert.equal(b.state.started, true);
  b.settle().resolve('b');
  assert.equal(await second, 'b');
});
