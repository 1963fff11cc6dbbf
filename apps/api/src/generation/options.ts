// GenerationOptions input → stored settings → engine options. Every rule names its field; nothing is clamped.
import type { GenerationOptions } from '@blip/engine';
import { ApiError } from '../errors.js';
import type { ModelRegistry } from '../models/registry.js';
import type { GenerationSettings, Precision } from '../store/types.js';

/** The GraphQL input as Pothos hands it over: unset fields are null or missing. */
export interface GenerationOptionsShape {
  strategy?: 'greedy' | 'beam' | 'sample' | null;
  numBeams?: number | null;
  numReturnSequences?: number | null;
  lengthPenalty?: number | null;
  temperature?: number | null;
  topK?: number | null;
  topP?: number | null;
  seed?: number | null;
  repetitionPenalty?: number | null;
  minNewTokens?: number | null;
  maxNewTokens?: number | null;
  model?: string | null;
  precision?: Precision | null;
}

/** Upper bound on maxNewTokens: BLIP's text decoder has 512 positions. */
export const MAX_NEW_TOKENS_LIMIT = 512;

type Rule = [
  field: keyof GenerationSettings,
  ok: (v: number, s: GenerationSettings) => boolean,
  rule: string,
];

// Grouped by concern, like openvino.genai's validate(): each rule says what a valid value is.
const RULES: Rule[] = [
  ['numBeams', (v) => v >= 1 && v <= 16, 'an integer from 1 to 16'],
  ['numReturnSequences', (v, s) => v >= 1 && v <= (s.numBeams ?? 1), 'an integer from 1 to numBeams'],
  ['lengthPenalty', (v) => Math.abs(v) <= 10, 'a number from -10 to 10'],
  ['temperature', (v) => v > 0 && v <= 100, 'a number > 0 and <= 100'],
  ['topK', (v) => v >= 0, 'an integer >= 0 (0 = off)'],
  ['topP', (v) => v > 0 && v <= 1, 'a number in (0, 1]'],
  ['seed', (v) => v >= 0, 'an integer >= 0'],
  ['repetitionPenalty', (v) => v >= 1 && v <= 10, 'a number from 1 to 10'],
  [
    'minNewTokens',
    (v, s) => v >= 0 && v <= (s.maxNewTokens ?? MAX_NEW_TOKENS_LIMIT),
    'an integer from 0 to maxNewTokens',
  ],
  [
    'maxNewTokens',
    (v) => v >= 1 && v <= MAX_NEW_TOKENS_LIMIT,
    `an integer from 1 to ${MAX_NEW_TOKENS_LIMIT}`,
  ],
];

const SAMPLING_ONLY = ['temperature', 'topK', 'topP', 'seed'] as const;

/** Throws INVALID_OPTIONS naming the first field that breaks a rule. */
export function validateSettings(s: GenerationSettings): void {
  for (const [field, ok, rule] of RULES) {
    const v = s[field];
    if (typeof v === 'number' && !ok(v, s)) {
      throw new ApiError('INVALID_OPTIONS', `${field} must be ${rule}, got ${v}`, field);
    }
  }
  if (s.strategy === 'beam' && s.numBeams !== undefined && s.numBeams < 2) {
    throw new ApiError(
      'INVALID_OPTIONS',
      `numBeams must be at least 2 for BEAM, got ${s.numBeams}`,
      'numBeams',
    );
  }
  if (s.strategy && s.strategy !== 'sample') {
    const misplaced = SAMPLING_ONLY.find((f) => s[f] !== undefined);
    if (misplaced) {
      throw new ApiError('INVALID_OPTIONS', `${misplaced} only applies to strategy SAMPLE`, misplaced);
    }
  }
}

/** Drops unset fields of the input; does not validate. */
export function compactSettings(input: GenerationOptionsShape | null | undefined): GenerationSettings {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input ?? {})) if (v !== null && v !== undefined) out[k] = v;
  return out as GenerationSettings;
}

/** The stored form of an options input, validated, with model and precision checked against loaded models. */
export function settingsFromInput(
  input: GenerationOptionsShape | null | undefined,
  models: ModelRegistry,
): GenerationSettings {
  const settings = compactSettings(input);
  validateSettings(settings);
  if (settings.model !== undefined || settings.precision !== undefined) models.select(settings);
  return settings;
}

const STRATEGY_SPECIFIC = [...SAMPLING_ONLY, 'numBeams', 'numReturnSequences', 'lengthPenalty'] as const;

/** Conversation defaults overridden field by field by a call's own settings; a call that picks another
 * strategy does not inherit the defaults' beam or sampling settings. */
export function mergeSettings(base: GenerationSettings, own: GenerationSettings): GenerationSettings {
  const inherited = { ...base };
  if (own.strategy !== undefined && own.strategy !== base.strategy) {
    for (const f of STRATEGY_SPECIFIC) delete inherited[f];
  }
  return { ...inherited, ...own };
}

/** What the engine takes: everything but the model choice. */
export function engineOptions(settings: GenerationSettings): GenerationOptions {
  const { model: _model, precision: _precision, ...rest } = settings;
  return rest;
}
