// The engine logs through the host's pino child logger, so the host's request and turn ids are on every line
// about a generation; without a logger it says nothing.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { solidPng } from '../../test/scenes.js';
import type { Engine, ImageRef } from './engine.js';
import { loadEngine } from './local-engine.js';

const TINY_VQA = resolve(import.meta.dirname, '../../../../models/tiny-vqa');
let engine: Engine;
let image: ImageRef;
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});
const root = pino({ level: 'debug' }, sink);

before(async () => {
  engine = await loadEngine({ models: [TINY_VQA] });
  const bytes = await solidPng(16, 16, [0, 200, 0]);
  const info = await engine.addImage(bytes, { logger: root.child({ requestId: 'r-upload' }) });
  image = { key: info.key, load: async () => bytes };
});
after(() => engine.dispose());

test("a generation's lines carry the host's request and turn ids, the model and how it ended", async () => {
  const logger = root.child({ requestId: 'r-1', turnId: 't-1' });
  await engine.run(
    { task: 'answer', image, question: 'what color?', options: { maxNewTokens: 3 } },
    { logger },
  );
  await new Promise((done) => setImmediate(done));
  const mine = lines.filter((l) => l.turnId === 't-1');
  assert.deepEqual(
    mine.map((l) => l.msg),
    ['generation started', 'generation done'],
  );
  for (const line of mine) assert.equal(line.requestId, 'r-1');
  assert.equal(mine[1]?.model, 'tiny-vqa');
  assert.equal(mine[1]?.tokens, 3);
  assert.ok(lines.some((l) => l.requestId === 'r-upload' && l.msg === 'image added'));
});

test('a refused call is logged as failed with its code; without a logger nothing is written', async () => {
  const logger = root.child({ turnId: 't-2' });
  const liar = { key: 'a'.repeat(64), load: image.load };
  await assert.rejects(engine.run({ task: 'caption', image: liar }, { logger }));
  await new Promise((done) => setImmediate(done));
  const failed = lines.find((l) => l.turnId === 't-2' && l.msg === 'generation failed');
  assert.equal(failed?.code, 'RUNTIME');
  const before = lines.length;
  await engine.run({ task: 'caption', image, options: { maxNewTokens: 2 } });
  await new Promise((done) => setImmediate(done));
  assert.equal(lines.length, before);
});
