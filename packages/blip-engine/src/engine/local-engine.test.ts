// The Engine contract on the real engine (tiny VQA model, real OpenVINO); the stand-in runs the same contract.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { solidPng } from '../../test/scenes.js';
import { engineContract } from '../../testing/contract.js';
import { BlipError } from '../errors.js';
import { loadEngine } from './local-engine.js';

const TINY_VQA = resolve(import.meta.dirname, '../../../../models/tiny-vqa');

engineContract('real engine', async () => ({
  engine: await loadEngine({ models: [TINY_VQA], concurrency: 1, maxQueue: 2, maxGenerationsPerCall: 2 }),
  png: await solidPng(80, 60, [200, 30, 40]),
}));

test('two folders with one manifest name get distinct ids, share one queue, and the second is addressable', async () => {
  const engine = await loadEngine({ models: [TINY_VQA, TINY_VQA], concurrency: 1, maxQueue: 0 });
  try {
    const ids = engine.models().map((m) => m.id);
    assert.equal(new Set(ids).size, 2);
    const info = await engine.addImage(await solidPng(8, 8, [0, 0, 255]));
    const image = { key: info.key, load: async () => new Uint8Array() };
    const result = await engine.run({ task: 'caption', model: ids[1], image, options: { maxNewTokens: 2 } });
    assert.equal(result.tokenIds.length, 2);
    const model = engine.models()[0];
    assert.match(model?.inferencePrecision ?? '', /^(f32|bf16)$/); // the default: OpenVINO's choice for FP32 weights
    assert.equal(model?.maxNewTokens, 127);
  } finally {
    await engine.dispose();
  }
});

test("the demo model's card and the parts table's capabilities reach ModelInfo", async () => {
  const engine = await loadEngine({
    models: [resolve(TINY_VQA, '../shapes-demo'), resolve(TINY_VQA, '../tiny-caption')],
  });
  try {
    const [demo, caption] = engine.models();
    // the demo folder carries the image-text parts (issue 20), so it can also embed and match
    assert.deepEqual(demo?.capabilities, ['caption', 'answer', 'embed', 'match']);
    assert.ok(demo?.card?.questionTypes.some((t) => t.name === 'count' && t.examples.length > 0));
    assert.equal(demo?.card?.outsideAnswer, 'i can only answer questions about shapes');
    assert.deepEqual(caption?.capabilities, ['caption']);
    assert.equal(caption?.card, null);
    const info = await engine.addImage(await solidPng(8, 8, [0, 0, 255]));
    const image = { key: info.key, load: async () => new Uint8Array() };
    assert.throws(
      () => engine.check({ task: 'answer', model: caption?.id, image, question: 'what?' }),
      /cannot answer questions/,
    );
  } finally {
    await engine.dispose();
  }
});

test('settings are checked before anything loads: typos, wrong types and out-of-range limits name the setting', async () => {
  const refused = (field: string) => (error: unknown) =>
    error instanceof BlipError && error.code === 'INVALID_OPTIONS' && error.field === field;
  await assert.rejects(loadEngine({ models: [TINY_VQA], concurency: 2 } as never), refused('concurency'));
  await assert.rejects(
    loadEngine({ models: [TINY_VQA], verifyHashes: 'false' } as never),
    refused('verifyHashes'),
  );
  await assert.rejects(
    loadEngine({ models: [TINY_VQA], limits: { maxPixels: -1 } }),
    refused('limits.maxPixels'),
  );
  await assert.rejects(
    loadEngine({ models: [TINY_VQA], limits: { decodeMemoryBytes: 1.5 } }),
    refused('limits.decodeMemoryBytes'),
  );
  await assert.rejects(loadEngine({ models: [] }), refused('models'));
  await assert.rejects(
    loadEngine({ models: [TINY_VQA], maxGenerationsPerCall: 0 }),
    refused('maxGenerationsPerCall'),
  );
});
