// Generation settings in and out, and the value types a finished answer carries.
import type { Candidate, Timings } from '@blip/engine';
import type { GenerationSettings } from '../store/types.js';
import { builder } from './builder.js';
import { PrecisionEnum, StrategyEnum } from './enums.js';

export const GenerationOptionsInput = builder.inputType('GenerationOptions', {
  description:
    'Settings of one caption or answer. Every field is optional: defaults come from the conversation, then the model. Invalid values give an INVALID_OPTIONS error naming the field.',
  fields: (t) => ({
    strategy: t.field({ type: StrategyEnum, description: 'GREEDY (default), BEAM or SAMPLE.' }),
    numBeams: t.int({ description: 'Beam width for BEAM, 2..16.' }),
    numReturnSequences: t.int({ description: 'Alternatives to return from beam search, 1..numBeams.' }),
    lengthPenalty: t.float({ description: 'Beam score = log-prob sum / length^lengthPenalty.' }),
    temperature: t.float({ description: 'SAMPLE: logits are divided by this, > 0.' }),
    topK: t.int({ description: 'SAMPLE: keep the k most likely tokens (0 = off).' }),
    topP: t.float({ description: 'SAMPLE: keep the smallest set reaching probability p, in (0, 1].' }),
    seed: t.int({ description: 'SAMPLE: seed of the random generator, so a run repeats exactly.' }),
    repetitionPenalty: t.float({
      description: 'CTRL-style penalty on tokens already generated, >= 1 (1 = off).',
    }),
    minNewTokens: t.int({ description: 'Tokens generated before the end token may be chosen.' }),
    maxNewTokens: t.int({ description: 'Most tokens generated.' }),
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
    seed: t.exposeInt('seed', { nullable: true }),
    repetitionPenalty: t.exposeFloat('repetitionPenalty', { nullable: true }),
    minNewTokens: t.exposeInt('minNewTokens', { nullable: true }),
    maxNewTokens: t.exposeInt('maxNewTokens', { nullable: true }),
    model: t.exposeString('model', { nullable: true }),
    precision: t.expose('precision', { type: PrecisionEnum, nullable: true }),
  }),
});

export const TimingsRef = builder.objectRef<Timings>('Timings').implement({
  description: 'Milliseconds spent in each stage of one caption or answer.',
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
      description: 'From the start of the call to the first token.',
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
