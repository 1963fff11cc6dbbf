import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeRange,
  fromStored,
  inRange,
  type OptionLimit,
  rangesFrom,
  sameOptions,
  settingProblems,
  toOptions,
} from './settings.js';

const opt = (o: Partial<OptionLimit> & Pick<OptionLimit, 'name'>): OptionLimit => ({
  type: 'INT',
  min: null,
  minExclusive: false,
  max: null,
  maxExclusive: false,
  atMost: null,
  strategies: ['GREEDY', 'BEAM', 'SAMPLE'],
  description: '',
  ...o,
});

/** A published table like the API's (the tests of the real one are in e2e/src/ranges.test.ts). */
const RANGES = rangesFrom([
  opt({ name: 'numBeams', min: 2, max: 16, strategies: ['BEAM'] }),
  opt({ name: 'numReturnSequences', min: 1, max: 16, atMost: 'numBeams', strategies: ['BEAM'] }),
  opt({ name: 'temperature', type: 'FLOAT', min: 0, minExclusive: true, max: 5, strategies: ['SAMPLE'] }),
  opt({ name: 'maxNewTokens', min: 1, max: 256 }),
]);

test('only the fields the published table allows for the chosen strategy are sent', () => {
  const s = { strategy: 'GREEDY' as const, numBeams: 4, temperature: 0.7, maxNewTokens: 12 };
  assert.deepEqual(toOptions(s, RANGES), { strategy: 'GREEDY', maxNewTokens: 12 });
  assert.deepEqual(toOptions({ ...s, strategy: 'BEAM' }, RANGES), {
    strategy: 'BEAM',
    numBeams: 4,
    maxNewTokens: 12,
  });
  assert.deepEqual(toOptions({ ...s, strategy: 'SAMPLE' }, RANGES), {
    strategy: 'SAMPLE',
    temperature: 0.7,
    maxNewTokens: 12,
  });
});

test('nulls and NaN (an emptied number field) mean "use the default" and are not sent', () => {
  assert.deepEqual(
    toOptions({ strategy: 'GREEDY', maxNewTokens: null, repetitionPenalty: Number.NaN }, RANGES),
    {
      strategy: 'GREEDY',
    },
  );
});

test('ranges as published: exclusive and open ends, integers, and the numBeams bound on alternatives', () => {
  const t = RANGES.temperature as OptionLimit;
  assert.equal(inRange(0, t), false);
  assert.equal(inRange(0.01, t), true);
  assert.equal(describeRange(t), '> 0 and ≤ 5');
  assert.equal(describeRange(RANGES.numBeams as OptionLimit), '2–16');
  assert.equal(inRange(2.5, RANGES.numBeams as OptionLimit), false);
  assert.deepEqual(
    settingProblems({ strategy: 'BEAM', numBeams: 3, numReturnSequences: 4 }, RANGES).map((p) => p.name),
    ['numReturnSequences'],
  );
  // An out-of-range option of another strategy is not sent, so it is no problem.
  assert.deepEqual(settingProblems({ strategy: 'GREEDY', numBeams: 99 }, RANGES), []);
});

test('stored settings drop GraphQL nulls and start from greedy', () => {
  assert.deepEqual(fromStored({ strategy: null, numBeams: null, maxNewTokens: 8 }), {
    strategy: 'GREEDY',
    maxNewTokens: 8,
  });
  assert.deepEqual(fromStored(null), { strategy: 'GREEDY' });
});

test('two settings that send the same options are the same', () => {
  assert.ok(sameOptions({ strategy: 'GREEDY', numBeams: 3 }, { strategy: 'GREEDY' }, RANGES));
  assert.ok(!sameOptions({ strategy: 'BEAM', numBeams: 3 }, { strategy: 'BEAM', numBeams: 4 }, RANGES));
});
