import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventStream } from './event-stream.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

test('events arrive in order and the stream ends when the producer does', async () => {
  const stream = eventStream<number>(async (emit) => {
    for (let i = 0; i < 3; i++) {
      await tick();
      emit(i);
    }
  });
  const seen: number[] = [];
  for await (const event of stream) seen.push(event);
  assert.deepEqual(seen, [0, 1, 2]);
});

test('nothing runs until the first next()', async () => {
  let started = false;
  eventStream<number>(async () => {
    started = true;
  });
  await tick();
  assert.equal(started, false);
});

test('return() aborts the producer mid-way and waits for it to clean up', async () => {
  let produced = 0;
  let cleanedUp = false;
  const stream = eventStream<number>(async (emit, signal) => {
    try {
      while (!signal.aborted) {
        await tick();
        emit(produced++);
      }
    } finally {
      cleanedUp = true;
    }
  });
  assert.deepEqual(await stream.next(), { value: 0, done: false });
  await stream.return(undefined);
  assert.equal(cleanedUp, true);
  const after = produced;
  await tick();
  await tick();
  assert.equal(produced, after, 'the producer kept going after return()');
  assert.deepEqual(await stream.next(), { value: undefined, done: true });
});

test('a producer error reaches the consumer after the events before it', async () => {
  const stream = eventStream<number>(async (emit) => {
    emit(1);
    throw new Error('model broke');
  });
  assert.deepEqual(await stream.next(), { value: 1, done: false });
  await assert.rejects(stream.next(), /model broke/);
});
