// The behaviour every Engine must show, run against the real engine (tiny-vqa) and the stand-in, so the
// stand-in the API tests use cannot drift from the engine: admission, queue positions, reservations,
// cancellation, event order, checks that run nothing, image intake. No timing: bursts are opened in one
// tick (admission is decided synchronously), and long generations are cut by the test.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Engine, EngineLogger, GenerationRequest, ImageRef } from '../src/engine/engine.js';
import { BlipError } from '../src/errors.js';
import type { GenerationOptions, StreamEvent } from '../src/types.js';

/** What the contract needs: an engine with concurrency 1, maxQueue 2, maxGenerationsPerCall 2. */
export interface ContractSubject {
  engine: Engine;
  /** A PNG the engine accepts. */
  png: Uint8Array;
}

const isCode = (code: string, field?: string) => (error: unknown) =>
  error instanceof BlipError && error.code === code && (field === undefined || error.field === field);

/** A generation long enough that the test ends it (60 forced tokens). */
const LONG: GenerationOptions = { minNewTokens: 60, maxNewTokens: 60 };

export function engineContract(label: string, make: () => Promise<ContractSubject>): void {
  let engine: Engine;
  let ref: ImageRef;
  before(async () => {
    const subject = await make();
    engine = subject.engine;
    const info = await engine.addImage(subject.png);
    ref = { key: info.key, load: async () => subject.png };
  });
  after(() => engine.dispose());

  const answer = (options: GenerationOptions = {}): GenerationRequest => ({
    task: 'answer',
    image: ref,
    question: 'what color is it?',
    options,
  });
  const first = async (stream: AsyncGenerator<StreamEvent>) => (await stream.next()).value as StreamEvent;
  const idle = () => assert.deepEqual(engine.queueDepth(), { running: 0, waiting: 0 });

  test(`${label}: addImage keys images by content and refuses what is not an accepted image`, async () => {
    assert.match(ref.key, /^[0-9a-f]{64}$/);
    await assert.rejects(engine.addImage(new Uint8Array([1, 2, 3])), isCode('INVALID_IMAGE'));
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>');
    await assert.rejects(engine.addImage(svg), isCode('INVALID_IMAGE'));
    idle();
  });

  test(`${label}: events come in order: queued, image, answering, tokens, done; the second read is cached`, async () => {
    const events: StreamEvent[] = [];
    for await (const event of engine.stream(answer({ maxNewTokens: 3 }))) events.push(event);
    const kinds = events.map((e) => e.type);
    assert.deepEqual(kinds.slice(0, 3), ['queued', 'image', 'answering']);
    assert.equal(kinds.at(-1), 'done');
    assert.ok(kinds.slice(3, -1).every((k) => k === 'token'));
    const [queued, image] = events;
    assert.deepEqual(queued?.type === 'queued' && queued.position, 0);
    assert.ok(image?.type === 'image');
    const stamps = events.flatMap((e) => ('at' in e ? [e.at] : []));
    assert.deepEqual(
      stamps,
      [...stamps].sort((a, b) => a - b),
    );
    const done = events.at(-1);
    assert.ok(done?.type === 'done');
    const text = events.map((e) => (e.type === 'token' ? e.delta : '')).join('');
    assert.equal(text, done.result.text);
    assert.ok(done.result.confidence >= 0 && done.result.confidence <= 1);
    const second: StreamEvent[] = [];
    for await (const event of engine.stream(answer({ maxNewTokens: 1 }))) second.push(event);
    assert.deepEqual(second[1]?.type === 'image' && second[1].source, 'cache');
    idle();
  });

  test(`${label}: logs each call on its logger (with the caller's bindings, no text) and measures its timings`, async () => {
    const lines: LogLine[] = [];
    const logger = recordingLogger(lines, { turnId: 'turn-1' });
    const events: StreamEvent[] = [];
    for await (const event of engine.stream(answer({ minNewTokens: 3, maxNewTokens: 3 }), { logger }))
      events.push(event);
    await assert.rejects(engine.addImage(new Uint8Array([1, 2, 3]), { logger }), isCode('INVALID_IMAGE'));
    const done = events.at(-1);
    assert.ok(done?.type === 'done');
    assert.deepEqual(
      lines.map((l) => [l.level, l.message, l.bindings.turnId]),
      [
        ['debug', 'generation started', 'turn-1'],
        ['info', 'generation done', 'turn-1'],
        ['info', 'image refused', 'turn-1'],
      ],
    );
    assert.equal(lines[1]?.bindings.task, 'answer');
    assert.equal(lines[1]?.fields.tokens, 3);
    assert.ok(!JSON.stringify(lines).includes('what color'), 'no question text');
    assert.ok(
      lines.every((l) => !('text' in l.fields)),
      'no answer text',
    );
    const { firstTokenMs, perTokenMs, totalMs } = done.result.timings;
    assert.ok(
      firstTokenMs > 0 && firstTokenMs <= totalMs,
      `firstTokenMs ${firstTokenMs}, totalMs ${totalMs}`,
    );
    assert.ok(perTokenMs >= 0 && firstTokenMs + 2 * perTokenMs <= totalMs, `perTokenMs ${perTokenMs}`);
    idle();
  });

  test(`${label}: a burst opened in one tick: positions 0, 1, 2, then OVERLOADED at once`, async () => {
    const streams = [0, 1, 2, 3].map(() => engine.stream(answer(LONG)));
    const firsts = streams.map((s) => s.next());
    await assert.rejects(firsts[3] as Promise<unknown>, isCode('OVERLOADED'));
    const positions = await Promise.all(firsts.slice(0, 3).map(async (f) => (await f).value));
    assert.deepEqual(
      positions.map((e) => (e as StreamEvent).type === 'queued' && (e as { position: number }).position),
      [0, 1, 2],
    );
    for (const stream of [...streams].reverse()) await stream.return(undefined);
    idle();
  });

  test(`${label}: reserve is all or nothing and per call; reserved calls are admitted, others are not`, async () => {
    assert.throws(() => engine.reserve(3), isCode('TOO_MANY_GENERATIONS'));
    const running = engine.stream(answer(LONG));
    assert.equal((await first(running)).type, 'queued');
    const held = engine.reserve(2);
    const outsider = engine.stream(answer(LONG));
    await assert.rejects(outsider.next(), isCode('OVERLOADED'));
    const reserved = [0, 1].map(() => engine.stream(answer(LONG), { reservation: held }));
    const positions = await Promise.all(reserved.map(first));
    assert.deepEqual(
      positions.map((e) => e.type === 'queued' && e.position),
      [1, 2],
    );
    for (const stream of [...reserved.reverse(), running]) await stream.return(undefined);
    held.release();
    idle();
  });

  test(`${label}: aborting after the first token ends with a cancelled done event and frees the slot`, async () => {
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    for await (const event of engine.stream(answer(LONG), { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'token') controller.abort();
    }
    const done = events.at(-1);
    assert.ok(done?.type === 'done');
    assert.equal(done.result.finishReason, 'cancelled');
    assert.equal(done.result.confidence, 0);
    assert.ok(events.filter((e) => e.type === 'token').length < 60);
    idle();
    await assert.rejects(engine.run(answer(LONG), { signal: AbortSignal.abort() }), isCode('CANCELLED'));
  });

  test(`${label}: check() refuses bad requests with typed errors and runs nothing`, () => {
    const before = engine.stats();
    assert.throws(
      () => engine.check({ ...answer(), question: '   ' }),
      isCode('INVALID_QUESTION', 'question'),
    );
    assert.throws(
      () => engine.check({ ...answer(), question: 'why '.repeat(70) }),
      isCode('INVALID_QUESTION'),
    );
    assert.throws(() => engine.check(answer({ numBeams: 1 })), isCode('INVALID_OPTIONS', 'numBeams'));
    assert.throws(() => engine.check(answer({ temperature: 6 })), isCode('INVALID_OPTIONS', 'temperature'));
    assert.throws(() => engine.check({ ...answer(), model: 'nope' }), isCode('INVALID_OPTIONS', 'model'));
    assert.throws(
      () => engine.check({ ...answer(), image: { key: 'x', load: ref.load } }),
      isCode('INVALID_IMAGE'),
    );
    assert.throws(
      () => engine.check({ task: 'caption', image: ref, question: 'why?' }),
      isCode('INVALID_QUESTION'),
    );
    engine.check(answer({ numBeams: 2 }));
    assert.deepEqual(engine.stats(), before);
    idle();
  });

  test(`${label}: the published limits carry the option table and the question's 64-token limit`, () => {
    const limits = engine.limits();
    assert.equal(limits.question.maxQuestionTokens, 64);
    assert.ok(limits.options.some((o) => o.name === 'maxNewTokens' && o.max === 256));
    assert.deepEqual(limits.admission, { concurrency: 1, maxQueue: 2, maxGenerationsPerCall: 2 });
    const [model] = engine.models();
    assert.ok(model?.capabilities.includes('answer'));
  });

  test(`${label}: image and text features are unit vectors of one size; the image's is computed once`, async () => {
    const [model] = engine.models();
    assert.ok(model?.capabilities.includes('embed') && model.capabilities.includes('match'));
    const image = await engine.embedImage({ image: ref });
    const runs = engine.stats().visionRuns;
    const again = await engine.embedImage({ image: ref });
    assert.equal(engine.stats().visionRuns, runs, 'the second embedImage ran the vision encoder');
    assert.deepEqual(again.vector, image.vector);
    const text = await engine.embedText({ text: 'a red square' });
    assert.equal(image.model, model?.id);
    assert.ok(image.space.startsWith(`${model?.id}:`) && image.space === text.space);
    assert.equal(text.vector.length, image.vector.length);
    for (const { vector } of [image, text]) assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-4);
    const { probability } = await engine.match({ image: ref, text: 'a red square' });
    assert.ok(probability >= 0 && probability <= 1);
    idle();
  });

  test(`${label}: image-text calls refuse bad input with typed errors and wait in the same line`, async () => {
    await assert.rejects(engine.embedText({ text: '  ' }), isCode('INVALID_QUESTION'));
    await assert.rejects(engine.embedText({ text: 'why '.repeat(70) }), isCode('INVALID_QUESTION'));
    await assert.rejects(engine.match({ image: ref, text: '' }), isCode('INVALID_QUESTION'));
    await assert.rejects(engine.embedImage({ image: { key: 'x', load: ref.load } }), isCode('INVALID_IMAGE'));
    await assert.rejects(engine.embedText({ model: 'nope', text: 'a' }), isCode('INVALID_OPTIONS', 'model'));
    const streams = [0, 1, 2].map(() => engine.stream(answer(LONG)));
    await Promise.all(streams.map(first));
    await assert.rejects(engine.embedText({ text: 'a red square' }), isCode('OVERLOADED'));
    for (const stream of [...streams].reverse()) await stream.return(undefined);
    await assert.rejects(
      engine.embedText({ text: 'a' }, { signal: AbortSignal.abort() }),
      isCode('CANCELLED'),
    );
    idle();
  });

  test(`${label}: an image whose pixels were forgotten is re-read through its loader and checked`, async () => {
    const bytes = await ref.load();
    const key = createHash('sha256').update(bytes).digest('hex');
    assert.equal(key, ref.key);
    const liar: ImageRef = { key: 'f'.repeat(64), load: async () => bytes };
    await assert.rejects(
      engine.run({ task: 'caption', image: liar, options: { maxNewTokens: 1 } }),
      isCode('RUNTIME'),
    );
    idle();
  });
}

/** One line an engine logged: level, message, the fields it gave, the bindings of the logger it used. */
interface LogLine {
  level: string;
  message: string | undefined;
  fields: Record<string, unknown>;
  bindings: Record<string, unknown>;
}

/** A logger that keeps its lines (the EngineLogger shape pino's loggers have). */
function recordingLogger(lines: LogLine[], bindings: Record<string, unknown>): EngineLogger {
  const at =
    (level: string) =>
    (fields: object, message?: string): void => {
      lines.push({ level, message, fields: fields as Record<string, unknown>, bindings });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  };
}
