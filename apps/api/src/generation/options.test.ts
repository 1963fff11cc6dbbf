import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../errors.js';
import { compactSettings, engineOptions, mergeSettings, validateSettings } from './options.js';

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

test('each rule names its field; valid settings pass', () => {
  assert.equal(
    fieldOf(() => validateSettings({ strategy: 'beam', numBeams: 4, numReturnSequences: 2 })),
    undefined,
  );
  assert.equal(
    fieldOf(() => validateSettings({ strategy: 'sample', temperature: 0.7, topK: 40, topP: 0.9, seed: 1 })),
    undefined,
  );
  assert.equal(
    fieldOf(() => validateSettings({ numBeams: 17 })),
    'numBeams',
  );
  assert.equal(
    fieldOf(() => validateSettings({ strategy: 'beam', numBeams: 1 })),
    'numBeams',
  );
  assert.equal(
    fieldOf(() => validateSettings({ numBeams: 2, numReturnSequences: 3 })),
    'numReturnSequences',
  );
  assert.equal(
    fieldOf(() => validateSettings({ temperature: 0 })),
    'temperature',
  );
  assert.equal(
    fieldOf(() => validateSettings({ topP: 0 })),
    'topP',
  );
  assert.equal(
    fieldOf(() => validateSettings({ topK: -1 })),
    'topK',
  );
  assert.equal(
    fieldOf(() => validateSettings({ repetitionPenalty: 0.5 })),
    'repetitionPenalty',
  );
  assert.equal(
    fieldOf(() => validateSettings({ maxNewTokens: 0 })),
    'maxNewTokens',
  );
  assert.equal(
    fieldOf(() => validateSettings({ minNewTokens: 9, maxNewTokens: 5 })),
    'minNewTokens',
  );
  assert.equal(
    fieldOf(() => validateSettings({ strategy: 'greedy', seed: 3 })),
    'seed',
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
