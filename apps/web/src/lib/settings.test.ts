import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromStored, sameOptions, toOptions } from './settings.js';

test('only the fields of the chosen strategy are sent', () => {
  const s = { strategy: 'GREEDY' as const, numBeams: 4, temperature: 0.7, maxNewTokens: 12 };
  assert.deepEqual(toOptions(s), { strategy: 'GREEDY', maxNewTokens: 12 });
  assert.deepEqual(toOptions({ ...s, strategy: 'BEAM' }), {
    strategy: 'BEAM',
    numBeams: 4,
    maxNewTokens: 12,
  });
  assert.deepEqual(toOptions({ ...s, strategy: 'SAMPLE' }), {
    strategy: 'SAMPLE',
    temperature: 0.7,
    maxNewTokens: 12,
  });
});

test('nulls and NaN (an emptied number field) mean "use the default" and are not sent', () => {
  assert.deepEqual(toOptions({ strategy: 'GREEDY', maxNewTokens: null, repetitionPenalty: Number.NaN }), {
    strategy: 'GREEDY',
  });
});

test('stored settings drop GraphQL nulls and start from greedy', () => {
  assert.deepEqual(fromStored({ strategy: null, numBeams: null, maxNewTokens: 8 }), {
    strategy: 'GREEDY',
    maxNewTokens: 8,
  });
  assert.deepEqual(fromStored(null), { strategy: 'GREEDY' });
});

test('two settings that send the same options are the same', () => {
  assert.ok(sameOptions({ strategy: 'GREEDY', numBeams: 3 }, { strategy: 'GREEDY' }));
  assert.ok(!sameOptions({ strategy: 'BEAM', numBeams: 3 }, { strategy: 'BEAM', numBeams: 4 }));
});
