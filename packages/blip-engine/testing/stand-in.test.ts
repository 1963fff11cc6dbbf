// The stand-in meets the Engine contract (as the real engine does, in src/engine/local-engine.test.ts), and
// its held generations do exactly what the test says, in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlipError } from '../src/errors.js';
import type { StreamEvent } from '../src/types.js';
import { solidPng } from '../test/scenes.js';
import { engineContract } from './contract.js';
import { StandInEngine } from './stand-in.js';

engineContract('stand-in', async () => ({
  engine: new StandInEngine({
    concurrency: 1,
    maxQueue: 2,
    maxGenerationsPerCall: 2,
    reply: () => 'word '.repeat(100),
  }),
  png: await solidPng(80, 60, [200, 30, 40]),
}));

async function setUp() {
  const engine = new StandInEngine({ concurrency: 1, maxQueue: 1 });
  const info = await engine.addImage(await solidPng(8, 8, [10, 20, 30]));
  const image = { key: info.key, load: async () => new Uint8Array() };
  return { engine, request: { task: 'answer' as const, image, question: 'what is it?' } };
}

test('a held generation streams what the test emits, when it emits it, and ends when released', async () => {
  const { engine, request } = await setUp();
  const held = engine.hold();
  const events: StreamEvent[] = [];
  const stream = engine.stream(request);
  const reading = (async () => {
    for await (const event of stream) events.push(event);
  })();
  assert.deepEqual(await held.started, request);
  held.emit('a', 'red');
  held.emit('circle');
  held.release({ confidence: 0.25 });
  await reading;
  assert.deepEqual(
    events.map((e) => e.type),
    ['queued', 'image', 'answering', 'token', 'token', 'token', 'done'],
  );
  const done = events.at(-1);
  assert.ok(done?.type === 'done');
  assert.equal(done.result.text, 'a red circle');
  assert.equal(done.result.confidence, 0.25);
});

test('while one generation is held, the queue fills and the next is OVERLOADED; release lets the line move', async () => {
  const { engine, request } = await setUp();
  const held = engine.hold();
  const running = engine.run(request);
  await held.started;
  const waiting = engine.stream(request);
  const heard: StreamEvent[] = [];
  heard.push((await waiting.next()).value as StreamEvent);
  await assert.rejects(engine.run(request), (e) => e instanceof BlipError && e.code === 'OVERLOADED');
  held.release();
  await running;
  for await (const event of waiting) heard.push(event);
  assert.deepEqual(
    heard.filter((e) => e.type === 'queued').map((e) => e.type === 'queued' && e.position),
    [1],
  );
  assert.equal(heard.at(-1)?.type, 'done');
});

test('fail(code) makes the stream throw that typed error; an abort ends a held generation as cancelled', async () => {
  const { engine, request } = await setUp();
  const failing = engine.hold();
  const call = engine.run(request);
  await failing.started;
  failing.fail('RUNTIME', 'the device went away');
  await assert.rejects(call, /the device went away/);
  const controller = new AbortController();
  const cancelled = engine.hold();
  const second = engine.run(request, { signal: controller.signal });
  await cancelled.started;
  controller.abort();
  await assert.rejects(second, (e) => e instanceof BlipError && e.code === 'CANCELLED');
  assert.deepEqual(engine.queueDepth(), { running: 0, waiting: 0 });
});
