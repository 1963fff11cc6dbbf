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

/** The range of one option, as `limits.options` publishes it. */
export interface OptionLimit {
  name: keyof GenerationSettings;
  type: 'INT' | 'FLOAT' | 'ENUM';
  min: number | null;
  minExclusive: boolean;
  max: number | null;
  maxExclusive: boolean;
  values: string[] | null;
  strategies: ('greedy' | 'beam' | 'sample')[];
  description: string;
}

const ALL = ['greedy', 'beam', 'sample'] as OptionLimit['strategies'];
const opt = (o: Partial<OptionLimit> & Pick<OptionLimit, 'name' | 'type' | 'description'>): OptionLimit => ({
  min: null,
  minExclusive: false,
  max: null,
  maxExclusive: false,
  values: null,
  strategies: ALL,
  ...o,
});

// One row per option, grouped by concern like openvino.genai's validate(); validation reads the same rows.
const OPTION_LIMITS: OptionLimit[] = [
  opt({
    name: 'strategy',
    type: 'ENUM',
    values: ['GREEDY', 'BEAM', 'SAMPLE'],
    description: 'How the next token is chosen.',
  }),
  opt({
    name: 'numBeams',
    type: 'INT',
    min: 1,
    max: 16,
    strategies: ['beam'],
    description: 'Beam width (at least 2 for BEAM).',
  }),
  opt({
    name: 'numReturnSequences',
    type: 'INT',
    min: 1,
    max: 16,
    strategies: ['beam'],
    description: 'Alternatives returned, at most numBeams.',
  }),
  opt({
    name: 'lengthPenalty',
    type: 'FLOAT',
    min: -10,
    max: 10,
    strategies: ['beam'],
    description: 'Beam score = log-prob sum / length^lengthPenalty.',
  }),
  opt({
    name: 'temperature',
    type: 'FLOAT',
    min: 0,
    minExclusive: true,
    max: 100,
    strategies: ['sample'],
    description: 'Logits are divided by this.',
  }),
  opt({
    name: 'topK',
    type: 'INT',
    min: 0,
    strategies: ['sample'],
    description: 'Keep the k most likely tokens (0 = off).',
  }),
  opt({
    name: 'topP',
    type: 'FLOAT',
    min: 0,
    minExclusive: true,
    max: 1,
    strategies: ['sample'],
    description: 'Keep the smallest set reaching probability p.',
  }),
  opt({
    name: 'seed',
    type: 'INT',
    min: 0,
    strategies: ['sample'],
    description: 'Seed of the random generator, so a run repeats exactly.',
  }),
  opt({
    name: 'repetitionPenalty',
    type: 'FLOAT',
    min: 1,
    max: 10,
    description: 'CTRL-style penalty on tokens already generated (1 = off).',
  }),
  opt({
    name: 'minNewTokens',
    type: 'INT',
    min: 0,
    max: MAX_NEW_TOKENS_LIMIT,
    description: 'Tokens generated before the end token may be chosen, at most maxNewTokens.',
  }),
  opt({
    name: 'maxNewTokens',
    type: 'INT',
    min: 1,
    max: MAX_NEW_TOKENS_LIMIT,
    description: 'Most tokens generated.',
  }),
];

/** Every option's range. */
export function optionLimits(): OptionLimit[] {
  return OPTION_LIMITS;
}

/** The rule of one row in words, e.g. "a number > 0 and <= 100". */
function ruleText(o: OptionLimit): string {
  const kind = o.type === 'INT' ? 'an integer' : 'a number';
  const low = o.min === null ? '' : `${o.minExclusive ? '>' : '>='} ${o.min}`;
  const high = o.max === null ? '' : `${o.maxExclusive ? '<' : '<='} ${o.max}`;
  return [kind, [low, high].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
}

function inRange(o: OptionLimit, v: number): boolean {
  if (o.type === 'INT' && !Number.isInteger(v)) return false;
  if (o.min !== null && (o.minExclusive ? v <= o.min : v < o.min)) return false;
  return o.max === null || (o.maxExclusive ? v < o.max : v <= o.max);
}

const SAMPLING_ONLY = ['temperature', 'topK', 'topP', 'seed'] as const;

/** Throws INVALID_OPTIONS naming the first field that breaks a rule. */
export function validateSettings(s: GenerationSettings): void {
  const bad = (field: string, message: string) => new ApiError('INVALID_OPTIONS', message, field);
  for (const o of OPTION_LIMITS) {
    const v = s[o.name];
    if (typeof v === 'number' && !inRange(o, v))
      throw bad(o.name, `${o.name} must be ${ruleText(o)}, got ${v}`);
  }
  if (s.numReturnSequences !== undefined && s.numReturnSequences > (s.numBeams ?? 1))
    throw bad(
      'numReturnSequences',
      `numReturnSequences must be at most numBeams, got ${s.numReturnSequences}`,
    );
  if (s.minNewTokens !== undefined && s.minNewTokens > (s.maxNewTokens ?? MAX_NEW_TOKENS_LIMIT))
    throw bad('minNewTokens', `minNewTokens must be at most maxNewTokens, got ${s.minNewTokens}`);
  if (s.strategy === 'beam' && s.numBeams !== undefined && s.numBeams < 2) {
    throw bad('numBeams', `numBeams must be at least 2 for BEAM, got ${s.numBeams}`);
  }
  if (s.strategy && s.strategy !== 'sample') {
    const misplaced = SAMPLING_ONLY.find((f) => s[f] !== undefined);
    if (misplaced) throw bad(misplaced, `${misplaced} only applies to strategy SAMPLE`);
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
