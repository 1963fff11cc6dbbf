// Generation settings in and out, and the value types a finished answer carries.
import { type Candidate, GENERATION_OPTIONS, type OptionName, ruleText } from '@blip/engine';
import type { GenerationSettings, StoredTimings } from '../store/types.js';
import { builder } from './builder.js';
import { PrecisionEnum, StrategyEnum } from './enums.js';

/** A field's description from the engine's option table: its meaning, its rule and its default. */
function describe(name: OptionName): string {
  const spec = GENERATION_OPTIONS.find((o) => o.name === name);
  if (!spec) throw new Error(`the engine's option table has no ${name}`);
  const strategy = spec.appliesTo === 'all' ? '' : ` ${spec.appliesTo.toUpperCase()} only.`;
  const dflt = spec.default !== null ? `${spec.default}` : spec.defaultFrom;
  // Enum values as GraphQL spells them (GREEDY), not as the engine does (greedy).
  const rule = spec.values ? `one of ${spec.values.map((v) => v.toUpperCase()).join(', ')}` : ruleText(spec);
  return `${spec.meaning}${strategy} Must be ${rule}. Default: ${dflt}.`;
}

export const GenerationOptionsInput = builder.inputType('GenerationOptions', {
  description:
    'Settings of one caption or answer. Every field is optional: defaults come from the conversation, then the model. The ranges are the engine’s option table, published in `limits.options`; a value outside them gives an INVALID_OPTIONS error naming the field.',
  fields: (t) => ({
    strategy: t.field({ type: StrategyEnum, description: describe('strategy') }),
    numBeams: t.int({ description: describe('numBeams') }),
    numReturnSequences: t.int({ description: describe('numReturnSequences') }),
    lengthPenalty: t.float({ description: describe('lengthPenalty') }),
    temperature: t.float({ description: describe('temperature') }),
    topK: t.int({ description: describe('topK') }),
    topP: t.float({ description: describe('topP') }),
    seed: t.float({ description: `${describe('seed')} (a Float in GraphQL: Int is 32-bit signed)` }),
    repetitionPenalty: t.float({ description: describe('repetitionPenalty') }),
    minNewTokens: t.int({ description: describe('minNewTokens') }),
    maxNewTokens: t.int({ description: describe('maxNewTokens') }),
    model: t.string({
      description: 'Name or base name of a loaded model (see `models`); default: the first.',
    }),
    precision: t.field({ type: PrecisionEnum, description: 'Pick the FP16 or INT8 build of the model.' }),
  }),
});

export const GenerationSettingsRef = builder.objectRef<GenerationSettings>('GenerationSettings').implement({
  description: 'Generation settings as stored: only the fields that were set.',
  fields: (t) => ({
    strategy: t.expose('strategy', { type: StrategyEnum, nullable: true }),
    numBeams: t.exposeInt('numBeams', { nullable: true }),
    numReturnSequences: t.exposeInt('numReturnSequences', { nullable: true }),
    lengthPenalty: t.exposeFloat('lengthPenalty', { nullable: true }),
    temperature: t.exposeFloat('temperature', { nullable: true }),
    topK: t.exposeInt('topK', { nullable: true }),
    topP: t.exposeFloat('topP', { nullable: true }),
    seed: t.exposeFloat('seed', { nullable: true }),
    repetitionPenalty: t.exposeFloat('repetitionPenalty', { nullable: true }),
    minNewTokens: t.exposeInt('minNewTokens', { nullable: true }),
    maxNewTokens: t.exposeInt('maxNewTokens', { nullable: true }),
    model: t.exposeString('model', { nullable: true }),
    precision: t.expose('precision', { type: PrecisionEnum, nullable: true }),
  }),
});

export const TimingsRef = builder.objectRef<StoredTimings>('Timings').implement({
  description:
    'Milliseconds spent in each stage of one caption or answer. For a turn stopped because its caller left, the API measured queueMs, firstTokenMs, perTokenMs and totalMs itself and the stage times are 0.',
  fields: (t) => ({
    queueMs: t.exposeFloat('queueMs', { description: 'Waiting for a free generation slot.' }),
    preprocessMs: t.exposeFloat('preprocessMs', {
      description: 'Decode, resize, normalise (0 when reused).',
    }),
    visionMs: t.exposeFloat('visionMs', {
      description: 'Vision encoder (0 when the image embedding was cached).',
    }),
    textEncoderMs: t.exposeFloat('textEncoderMs', { description: 'Question encoder (answers only).' }),
    firstTokenMs: t.exposeFloat('firstTokenMs', {
      nullable: true,
      description:
        'From the start of the call to the first token; null when no token came (a turn stopped early).',
    }),
    perTokenMs: t.exposeFloat('perTokenMs', { description: 'Mean decoder step after the first.' }),
    totalMs: t.exposeFloat('totalMs', { description: 'The whole call.' }),
  }),
});

export const AlternativeRef = builder.objectRef<Candidate>('Alternative').implement({
  description: 'One finished sequence: the best first; several with beam search and numReturnSequences > 1.',
  fields: (t) => ({
    text: t.exposeString('text'),
    score: t.exposeFloat('score', { description: 'Beam score, or summed log-probability.' }),
    tokenIds: t.exposeIntList('tokenIds'),
  }),
});
