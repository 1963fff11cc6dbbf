import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlipError } from '../errors.js';
import type { GenerationOptions } from '../types.js';
import { GENERATION_OPTIONS, optionSpec, ruleText } from './option-table.js';
import { type GenerationDefaults, resolveGenerationOptions } from './options.js';

const HF: GenerationDefaults = {
  max_length: 20,
  min_length: 0,
  num_beams: 1,
  repetition_penalty: 1,
  length_penalty: 1,
};
const VQA = { promptLength: 1, maxPositions: 512 };
const resolve = (options: GenerationOptions, context = VQA) => resolveGenerationOptions(options, HF, context);

test('defaults reproduce generate(max_length=20): 19 new tokens after the decoder start, greedy', () => {
  const plan = resolve({});
  assert.equal(plan.strategy, 'greedy');
  assert.equal(plan.maxNewTokens, 19);
  assert.equal(plan.minNewTokens, 0);
  assert.equal(plan.numBeams, 1);
});

test('max_length counts the caption prompt: "a picture of" (4 ids with the start) leaves 16', () => {
  assert.equal(resolve({}, { promptLength: 4, maxPositions: 512 }).maxNewTokens, 16);
  const withMin = resolveGenerationOptions(
    {},
    { ...HF, min_length: 10 },
    { promptLength: 4, maxPositions: 512 },
  );
  assert.equal(withMin.minNewTokens, 6);
});

test('numBeams > 1 implies beam search; sampling fields imply sampling', () => {
  const beam = resolve({ numBeams: 3, numReturnSequences: 3 });
  assert.equal(beam.strategy, 'beam');
  assert.equal(beam.numReturnSequences, 3);
  assert.equal(resolve({ temperature: 0.7 }).strategy, 'sample');
  assert.equal(resolve({ strategy: 'beam' }).numBeams, 3);
});

/** Asserts that `options` is refused with INVALID_OPTIONS naming `field` and quoting `value`. */
function refused(options: GenerationOptions, field: string, value: string) {
  assert.throws(
    () => resolve(options),
    (error: unknown) =>
      error instanceof BlipError &&
      error.code === 'INVALID_OPTIONS' &&
      error.field === field &&
      error.message.startsWith(`${field} must be`) &&
      error.message.includes(value),
  );
}

test('every bad value is a typed error naming the field, the rule and the value', () => {
  refused({ strategy: 'nucleus' as never }, 'strategy', '"nucleus"');
  refused({ numBeams: 17 }, 'numBeams', '17');
  refused({ numBeams: 2.5 }, 'numBeams', '2.5');
  refused({ numBeams: 3, numReturnSequences: 4 }, 'numReturnSequences', '4');
  refused({ temperature: 0 }, 'temperature', '0');
  refused({ temperature: Number.NaN }, 'temperature', 'null');
  refused({ topK: -1 }, 'topK', '-1');
  refused({ topP: 1.5 }, 'topP', '1.5');
  refused({ topP: 0 }, 'topP', '0');
  refused({ seed: -3 }, 'seed', '-3');
  refused({ repetitionPenalty: 0.5 }, 'repetitionPenalty', '0.5');
  refused({ maxNewTokens: 0 }, 'maxNewTokens', '0');
  refused({ maxNewTokens: 100_000 }, 'maxNewTokens', '100000');
  refused({ minNewTokens: 30, maxNewTokens: 20 }, 'minNewTokens', '30');
  refused({ lengthPenalty: Number.POSITIVE_INFINITY, numBeams: 2 }, 'lengthPenalty', 'null');
  refused({ maxNewTokens: '5' as never }, 'maxNewTokens', '"5"');
});

test('a field that the chosen strategy ignores is refused rather than silently dropped', () => {
  refused({ strategy: 'greedy', temperature: 0.5 }, 'temperature', '0.5');
  refused({ strategy: 'sample', numBeams: 3 }, 'numBeams', '3');
});

test('maxNewTokens cannot pass the decoder position table', () => {
  assert.throws(() => resolve({ maxNewTokens: 30 }, { promptLength: 4, maxPositions: 32 }), /from 1 to 28/);
});

test('the option table is the rulebook: each row refuses just past its bounds and accepts its bounds', () => {
  for (const spec of GENERATION_OPTIONS) {
    if (spec.type === 'enum' || spec.atMost) continue;
    const strategy = spec.appliesTo === 'all' ? {} : { strategy: spec.appliesTo };
    const at = (value: number) => resolve({ ...strategy, [spec.name]: value } as GenerationOptions);
    const step = spec.type === 'int' ? 1 : 0.001;
    if (spec.name !== 'maxNewTokens') at(spec.max as number); // maxNewTokens is also bounded by the decoder
    at(spec.min as number);
    refused({ ...strategy, [spec.name]: (spec.max as number) + step } as GenerationOptions, spec.name, '');
    refused({ ...strategy, [spec.name]: (spec.min as number) - step } as GenerationOptions, spec.name, '');
  }
});

test('the error message quotes the table: numBeams has one range, 2 to 16', () => {
  assert.throws(() => resolve({ numBeams: 1 }), /numBeams must be an integer from 2 to 16 \(got 1\)/);
  assert.equal(ruleText(optionSpec('temperature')), 'a number from 0.05 to 5');
});
