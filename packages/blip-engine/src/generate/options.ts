// GenerationOptions → a validated decoding plan. Defaults come from the manifest's `generation` block
// (Hugging Face's generate() defaults for the checkpoint); every bad value is an INVALID_OPTIONS error that
// names the field, the rule and the value. Nothing is clamped.
import { BlipError } from '../errors.js';
import type { DecodingStrategy, GenerationOptions } from '../types.js';

/** The manifest's `generation` block (Hugging Face names; max_length/min_length count the decoder start and prompt). */
export interface GenerationDefaults {
  max_length: number;
  min_length: number;
  num_beams: number;
  repetition_penalty: number;
  length_penalty: number;
  early_stopping?: boolean | 'never';
}

/** Upper bounds of the settings, so one call cannot ask for unbounded work. */
export interface GenerationLimits {
  /** Widest beam search. */
  maxBeams: number;
  /** Longest answer in new tokens (also bounded by the decoder's position table). */
  maxNewTokens: number;
}

export const DEFAULT_GENERATION_LIMITS: GenerationLimits = { maxBeams: 16, maxNewTokens: 256 };

/** Hugging Face's sampling defaults (GenerationConfig), used when a sampling field is not given. */
const SAMPLING_DEFAULTS = { temperature: 1, topK: 50, topP: 1 };

/** Everything the decoding loop needs, all fields resolved. */
export interface DecodingPlan {
  strategy: DecodingStrategy;
  numBeams: number;
  numReturnSequences: number;
  lengthPenalty: number;
  earlyStopping: boolean | 'never';
  temperature: number;
  topK: number;
  topP: number;
  seed: number;
  repetitionPenalty: number;
  minNewTokens: number;
  maxNewTokens: number;
}

/** What the loop's context says about lengths: the ids fed before generation and the decoder's position table. */
export interface PromptContext {
  /** Decoder start + caption prompt tokens. */
  promptLength: number;
  maxPositions: number;
}

const SAMPLING_FIELDS = ['temperature', 'topK', 'topP', 'seed'] as const;
const BEAM_FIELDS = ['numBeams', 'numReturnSequences', 'lengthPenalty'] as const;

/** Validates `options` and fills the gaps from the manifest defaults; throws BlipError('INVALID_OPTIONS', …, {field}). */
export function resolveGenerationOptions(
  options: GenerationOptions,
  defaults: GenerationDefaults,
  context: PromptContext,
  limits: GenerationLimits = DEFAULT_GENERATION_LIMITS,
): DecodingPlan {
  const strategy = chooseStrategy(options, defaults);
  checkFieldsApply(options, strategy);
  const lengths = resolveLengths(options, defaults, context, limits);
  const beams = resolveBeams(options, defaults, strategy, limits);
  const sampling = resolveSampling(options);
  const repetitionPenalty = options.repetitionPenalty ?? defaults.repetition_penalty;
  requireNumber('repetitionPenalty', repetitionPenalty, (v) => v >= 1, 'a number >= 1 (1 = off)');
  return { strategy, ...beams, ...sampling, ...lengths, repetitionPenalty };
}

function chooseStrategy(options: GenerationOptions, defaults: GenerationDefaults): DecodingStrategy {
  const { strategy } = options;
  if (strategy !== undefined) {
    if (strategy !== 'greedy' && strategy !== 'beam' && strategy !== 'sample') {
      fail('strategy', "one of 'greedy', 'beam', 'sample'", strategy);
    }
    return strategy;
  }
  if (options.numBeams !== undefined && options.numBeams !== 1) return 'beam';
  if (SAMPLING_FIELDS.some((field) => options[field] !== undefined)) return 'sample';
  return defaults.num_beams > 1 && options.numBeams === undefined ? 'beam' : 'greedy';
}

function checkFieldsApply(options: GenerationOptions, strategy: DecodingStrategy): void {
  for (const field of SAMPLING_FIELDS) {
    if (strategy !== 'sample' && options[field] !== undefined) {
      fail(field, `set only with strategy 'sample' (strategy is '${strategy}')`, options[field]);
    }
  }
  for (const field of BEAM_FIELDS) {
    const neutral = field === 'lengthPenalty' ? undefined : 1;
    if (strategy !== 'beam' && options[field] !== undefined && options[field] !== neutral) {
      fail(field, `set only with strategy 'beam' (strategy is '${strategy}')`, options[field]);
    }
  }
}

function resolveLengths(
  options: GenerationOptions,
  defaults: GenerationDefaults,
  context: PromptContext,
  limits: GenerationLimits,
): Pick<DecodingPlan, 'maxNewTokens' | 'minNewTokens'> {
  const room = Math.min(limits.maxNewTokens, context.maxPositions - context.promptLength);
  const maxNewTokens =
    options.maxNewTokens ?? Math.min(room, Math.max(1, defaults.max_length - context.promptLength));
  requireInteger('maxNewTokens', maxNewTokens, 1, room);
  const minNewTokens = options.minNewTokens ?? Math.max(0, defaults.min_length - context.promptLength);
  requireInteger('minNewTokens', minNewTokens, 0, maxNewTokens);
  return { maxNewTokens, minNewTokens };
}

function resolveBeams(
  options: GenerationOptions,
  defaults: GenerationDefaults,
  strategy: DecodingStrategy,
  limits: GenerationLimits,
): Pick<DecodingPlan, 'numBeams' | 'numReturnSequences' | 'lengthPenalty' | 'earlyStopping'> {
  const earlyStopping = defaults.early_stopping ?? false;
  const lengthPenalty = options.lengthPenalty ?? defaults.length_penalty;
  requireNumber('lengthPenalty', lengthPenalty, () => true, 'a finite number');
  if (strategy !== 'beam') return { numBeams: 1, numReturnSequences: 1, lengthPenalty, earlyStopping };
  const numBeams = options.numBeams ?? (defaults.num_beams > 1 ? defaults.num_beams : 3);
  requireInteger('numBeams', numBeams, 2, limits.maxBeams);
  const numReturnSequences = options.numReturnSequences ?? 1;
  requireInteger('numReturnSequences', numReturnSequences, 1, numBeams);
  return { numBeams, numReturnSequences, lengthPenalty, earlyStopping };
}

function resolveSampling(
  options: GenerationOptions,
): Pick<DecodingPlan, 'temperature' | 'topK' | 'topP' | 'seed'> {
  const temperature = options.temperature ?? SAMPLING_DEFAULTS.temperature;
  requireNumber('temperature', temperature, (v) => v > 0, 'a number > 0');
  const topK = options.topK ?? SAMPLING_DEFAULTS.topK;
  requireInteger('topK', topK, 0, Number.MAX_SAFE_INTEGER);
  const topP = options.topP ?? SAMPLING_DEFAULTS.topP;
  requireNumber('topP', topP, (v) => v > 0 && v <= 1, 'a number in (0, 1]');
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  requireInteger('seed', seed, 0, 2 ** 32 - 1);
  return { temperature, topK, topP, seed };
}

function requireNumber(field: string, value: unknown, rule: (v: number) => boolean, ruleText: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !rule(value)) fail(field, ruleText, value);
}

function requireInteger(field: string, value: unknown, min: number, max: number): void {
  const ok = typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
  if (!ok) fail(field, `an integer from ${min} to ${max}`, value);
}

function fail(field: string, rule: string, value: unknown): never {
  throw new BlipError(
    'INVALID_OPTIONS',
    `${field} must be ${rule} (got ${JSON.stringify(value) ?? String(value)})`,
    {
      field,
    },
  );
}
