import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StandInEngine } from '@blip/engine/testing';
import { ApiError } from '../errors.js';
import { ModelCatalog } from '../models/catalog.js';
import type { GenerationSettings } from '../store/types.js';
import { checkSettings, compactSettings, engineOptions, mergeSettings } from './options.js';

const fieldOf = (fn: () => void): string | undefined => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 'INVALID_OPTIONS');
    return err.extensions.field as string;
  }
  return undefined;
};

// The rules are the engine's (GENERATION_OPTIONS, tested in @blip/engine); here: the engine's refusal reaches the
// client as INVALID_OPTIONS naming the field, and model/precision are picked before the engine sees the options.
const engine = new StandInEngine({
  models: [
    { id: 'm', name: 'm' },
    { id: 'm-int8', name: 'm-int8', precision: { text_decoder: 'int8' } },
  ],
});
const models = new ModelCatalog(engine.models());
const check = (settings: GenerationSettings) => checkSettings(engine, models, settings);

test('each rule names its field; valid settings pass', () => {
  assert.equal(
    fieldOf(() => check({ strategy: 'beam', numBeams: 4, numReturnSequences: 2 })),
    undefined,
  );
  assert.equal(
    fieldOf(() => check({ strategy: 'sample', temperature: 0.7, topK: 40, topP: 0.9, seed: 1 })),
    undefined,
  );
  assert.equal(
    fieldOf(() => check({ numBeams: 17 })),
    'numBeams',
  );
  assert.equal(
    fieldOf(() => check({ strategy: 'beam', numBeams: 1 })),
    'numBeams',
  );
  assert.equal(
    fieldOf(() => check({ strategy: 'beam', numBeams: 2, numReturnSequences: 3 })),
    'numReturnSequences',
  );
  assert.equal(
    fieldOf(() => check({ strategy: 'sample', temperature: 0 })),
    'temperature',
  );
  assert.equal(
    fieldOf(() => check({ strategy: 'sample', temperature: 6 })),
    'temperature',
  );
  assert.equal(
    fieldOf(() => check({ maxNewTokens: 0 })),
    'maxNewTokens',
  );
  assert.equal(
    fieldOf(() => check({ minNewTokens: 9, maxNewTokens: 5 })),
    'minNewTokens',
  );
  assert.equal(
    fieldOf(() => check({ strategy: 'greedy', seed: 3 })),
    'seed',
  );
  assert.equal(
    fieldOf(() => check({ model: 'nope' })),
    'model',
  );
  assert.equal(
    fieldOf(() => check({ model: 'm', precision: 'FP16' })),
    'precision',
  );
  assert.equal(
    fieldOf(() => check({ model: 'm', precision: 'INT8' })),
    undefined,
  );
});

test('unset GraphQL fields are dropped; the engine never sees model or precision', () => {
  const s = compactSettings({ strategy: 'beam', numBeams: 3, topP: null, model: 'm', precision: 'INT8' });
  assert.deepEqual(s, { strategy: 'beam', numBeams: 3, model: 'm', precision: 'INT8' });
  assert.deepEqual(engineOptions(s), { strategy: 'beam', numBeams: 3 });
});

test("a call's settings override the conversation's; a new strategy drops the old strategy's settings", () => {
  const base = { strategy: 'sample' as const, temperature: 0.8, seed: 4, maxNewTokens: 10 };
  assert.deepEqual(mergeSettings(base, { seed: 5 }), { ...base, seed: 5 });
  assert.deepEqual(mergeSettings(base, { strategy: 'greedy' }), { strategy: 'greedy', maxNewTokens: 10 });
});
