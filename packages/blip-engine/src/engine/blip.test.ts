// The Blip class on the committed tiny VQA model (real OpenVINO): cancellation, concurrency, the image
// cache, overload and option errors. Token-exactness against Hugging Face is in golden.test.ts.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { sceneJpeg, solidPng } from '../../test/scenes.js';
import { BlipError } from '../errors.js';
import type { StreamEvent } from '../types.js';
import { Blip } from './blip.js';

const TINY_VQA = resolve(import.meta.dirname, '../../../../models/tiny-vqa');
let blip: Blip;
let red: Uint8Array;

before(async () => {
  // Exact mode: concurrent generations share batched decoder runs, and only f32 makes a row's arithmetic
  // independent of the rows beside it (at bf16 a near-tie may fall either way; see ARCHITECTURE.md).
  blip = await Blip.load(TINY_VQA, { concurrency: 4, inferencePrecision: 'f32' });
  red = await solidPng(80, 60, [200, 30, 40]);
});
after(() => blip.dispose());

const isBlipError = (code: string, field?: string) => (error: unknown) =>
  error instanceof BlipError && error.code === code && (field === undefined || error.field === field);

/** Forces a long answer (min = max new tokens), so a cancellation has something to cut short. */
const LONG = { minNewTokens: 100, maxNewTokens: 100 };

test('a follow-up question about the same image does not run the vision part', async () => {
  const image = await sceneJpeg(10);
  const before = blip.stats();
  const first = await blip.answer(image, 'what color is the circle?');
  const second = await blip.answer(image, 'how many squares?');
  const after = blip.stats();
  assert.equal(after.visionRuns - before.visionRuns, 1);
  assert.equal(after.imageCacheMisses - before.imageCacheMisses, 1);
  assert.equal(after.imageCacheHits - before.imageCacheHits, 1);
  assert.equal(after.textEncoderRuns - before.textEncoderRuns, 2);
  assert.equal(first.imageCacheHit, false);
  assert.equal(second.imageCacheHit, true);
  assert.equal(second.timings.visionMs, 0);
});

test('aborting a stream stops decoding within one step and frees its requests', async () => {
  const controller = new AbortController();
  const start = blip.stats().decoderSteps;
  const events: StreamEvent[] = [];
  for await (const event of blip.answerStream(red, 'what is it?', { ...LONG, signal: controller.signal })) {
    events.push(event);
    if (event.type === 'token' && event.index === 2) controller.abort();
  }
  const done = events.at(-1);
  assert.equal(done?.type, 'done');
  assert.equal(done?.type === 'done' && done.result.finishReason, 'cancelled');
  const steps = blip.stats().decoderSteps - start;
  assert.ok(steps <= 4, `decoder ran ${steps} steps after the abort at token 2`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(blip.stats().decoderSteps - start, steps, 'decoder kept running after the stream ended');
  assert.deepEqual(blip.queueDepth(), { running: 0, waiting: 0 });
  const next = await blip.answer(red, 'what is it?', { maxNewTokens: 3 });
  assert.equal(next.tokenIds.length, 3);
});

test("the iterator's return() cancels too, and the stream just ends", async () => {
  const start = blip.stats().decoderSteps;
  const stream = blip.captionStream(red, LONG);
  let tokens = 0;
  for await (const event of stream) {
    if (event.type === 'token' && ++tokens === 3) break; // for-await calls return()
  }
  const steps = blip.stats().decoderSteps - start;
  assert.ok(steps <= 5, `decoder ran ${steps} steps`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(blip.stats().decoderSteps - start, steps);
  assert.deepEqual(blip.queueDepth(), { running: 0, waiting: 0 });
});

test('answer() with an aborted signal rejects with CANCELLED', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(blip.answer(red, 'what?', { signal: controller.signal }), isBlipError('CANCELLED'));
  const midway = new AbortController();
  const call = blip.answer(red, 'what?', { ...LONG, signal: midway.signal });
  setTimeout(() => midway.abort(), 20);
  await assert.rejects(call, isBlipError('CANCELLED'));
});

test('8 interleaved streams give the same tokens as 8 sequential calls', async () => {
  const images = await Promise.all([0, 45, 90, 135].map((hue) => sceneJpeg(hue)));
  const calls = Array.from({ length: 8 }, (_, i) => ({
    image: images[i % 4] as Uint8Array,
    question: i < 4 ? 'what color is the square?' : 'is there a circle?',
    options: i % 2 === 0 ? {} : { numBeams: 3 },
  }));
  const sequential = [];
  for (const c of calls) sequential.push((await blip.answer(c.image, c.question, c.options)).tokenIds);
  const streamed = await Promise.all(
    calls.map(async (c) => {
      const ids: number[] = [];
      for await (const event of blip.answerStream(c.image, c.question, c.options)) {
        if (event.type === 'token') ids.push(event.tokenId);
      }
      return ids;
    }),
  );
  assert.deepEqual(streamed, sequential);
});

test('streamed deltas add up to the result text', async () => {
  let text = '';
  let result = null;
  for await (const event of blip.answerStream(red, 'what shape?')) {
    if (event.type === 'token') text += event.delta;
    else if (event.type === 'done') result = event.result;
  }
  assert.equal(text, result?.text);
  assert.ok(text.length > 0);
});

test('bad options and questions are typed errors naming the field', async () => {
  await assert.rejects(
    blip.answer(red, 'what?', { numBeams: 40 }),
    isBlipError('INVALID_OPTIONS', 'numBeams'),
  );
  await assert.rejects(
    blip.answer(red, 'what?', { temperature: -1 }),
    isBlipError('INVALID_OPTIONS', 'temperature'),
  );
  await assert.rejects(blip.answer(red, 'what?', { topP: 2 }), isBlipError('INVALID_OPTIONS', 'topP'));
  await assert.rejects(
    blip.answer(red, 'what?', { maxNewTokens: 0 }),
    isBlipError('INVALID_OPTIONS', 'maxNewTokens'),
  );
  await assert.rejects(
    blip.caption(red, { minNewTokens: -2 }),
    isBlipError('INVALID_OPTIONS', 'minNewTokens'),
  );
  await assert.rejects(blip.answer(red, '   '), isBlipError('INVALID_QUESTION'));
  await assert.rejects(blip.answer(new Uint8Array([1, 2, 3]), 'what?'), isBlipError('INVALID_IMAGE'));
  await assert.rejects(
    Blip.load(TINY_VQA, { concurrency: 0 }),
    isBlipError('INVALID_OPTIONS', 'concurrency'),
  );
});

test('sampling with a seed repeats exactly', async () => {
  const options = { strategy: 'sample' as const, seed: 1234, temperature: 1.5, topK: 20, topP: 0.9 };
  const a = await blip.answer(red, 'what is it?', options);
  const b = await blip.answer(red, 'what is it?', options);
  const c = await blip.answer(red, 'what is it?', { ...options, seed: 99 });
  assert.deepEqual(a.tokenIds, b.tokenIds);
  assert.notDeepEqual(a.tokenIds, c.tokenIds);
});

test('concurrency 1, queue 2: a burst of 10 serves 3 and refuses 7 with OVERLOADED at once', async () => {
  const small = await Blip.load(TINY_VQA, { concurrency: 1, maxQueue: 2 });
  try {
    const started = performance.now();
    const calls = Array.from({ length: 10 }, () =>
      small.answer(red, 'what?', { maxNewTokens: 10, minNewTokens: 10 }),
    );
    const results = await Promise.allSettled(calls);
    const served = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(served.length, 3);
    assert.equal(refused.length, 7);
    for (const r of refused) assert.ok(isBlipError('OVERLOADED')((r as PromiseRejectedResult).reason));
    assert.ok(performance.now() - started < 10_000);
  } finally {
    await small.dispose();
  }
});
