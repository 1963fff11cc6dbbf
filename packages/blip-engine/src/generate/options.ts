// GenerationOptions → a validated decoding plan. Defaults come from the manifest's `generation` block
// (Hugging Face's generate() defaults for the checkpoint), the rules from the option table (option-table.ts);
// every bad value is an INVALID_OPTIONS error that names the field, the rule and the value. Nothing is clamped.
import { BlipError } from '../errors.js';
import type { DecodingStrategy, GenerationOptions } from '../types.js';
import { GENERATION_OPTIONS, type OptionSpec, optionSpec, ruleText } from './option-table.js';

/** The manifest's `generation` block (Hugging Face names; max_length/min_length count the decoder start and prompt). */
export interface GenerationDefaults {
  max_length: number;
  min_length: number;
  num_beams: number;
  repetition_penalty: number;
  length_penalty: number;
  early_stopping?: boolean | 'never';
}

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

/** Validates `options` against the option table and the model's room, fills the gaps from the manifest defaults;
 * throws BlipError('INVALID_OPTIONS', …, {field}) naming the first bad field, its rule and its value. */
export function resolveGenerationOptions(
  options: GenerationOptions,
  defaults: GenerationDefaults,
  context: PromptContext,
): DecodingPlan {
  checkOptions(options);
  const strategy = chooseStrategy(options, defaults);
  checkFieldsApply(options, strategy);
  const lengths = resolveLengths(options, defaults, context);
  const beams = resolveBeams(options, defaults, strategy);
  const sampling = resolveSampling(options);
  const repetitionPenalty = options.repetitionPenalty ?? defaults.repetition_penalty;
  return { strategy, ...beams, ...sampling, ...lengths, repetitionPenalty };
}

/** Every given option against its row of the table (type, range, enum values), then the cross-field bounds. */
export function checkOptions(options: GenerationOptions): void {
  for (const spec of GENERATION_OPTIONS) {
    const value = options[spec.name];
    if (value === undefined) continue;
    if (!fits(spec, value)) fail(spec.name, ruleText(spec), value);
  }
  for (const spec of GENERATION_OPTIONS) {
    const value = options[spec.name];
    const bound = spec.atMost ? options[spec.atMost] : undefined;
    if (typeof value === 'number' && typeof bound === 'number' && value > bound)
      fail(spec.name, ruleText(spec), value);
  }
}

function fits(spec: OptionSpec, value: unknown): boolean {
  if (spec.type === 'enum') return typeof value === 'string' && (spec.values ?? []).includes(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (spec.type === 'int' && !Number.isInteger(value)) return false;
  return value >= (spec.min as number) && value <= (spec.max as number);
}

function chooseStrategy(options: GenerationOptions, defaults: GenerationDefaults): DecodingStrategy {
  if (options.strategy !== undefined) return options.strategy;
  if (options.numBeams !== undefined || options.numReturnSequences !== undefined) return 'beam';
  if (GENERATION_OPTIONS.some((spec) => spec.appliesTo === 'sample' && options[spec.name] !== undefined))
    return 'sample';
  return defaults.num_beams > 1 ? 'beam' : 'greedy';
}

function checkFieldsApply(options: GenerationOptions, strategy: DecodingStrategy): void {
  for (const spec of GENERATION_OPTIONS) {
    if (spec.appliesTo === 'all' || spec.appliesTo === strategy) continue;
    if (options[spec.name] !== undefined) {
      fail(
        spec.name,
        `set only with strategy '${spec.appliesTo}' (strategy is '${strategy}')`,
        options[spec.name],
      );
    }
  }
}

function resolveLengths(
  options: GenerationOptions,
  defaults: GenerationDefaults,
  context: PromptContext,
): Pick<DecodingPlan, 'maxNewTokens' | 'minNewTokens'> {
  const room = maxNewTokensFor(context);
  const maxNewTokens =
    options.maxNewTokens ?? Math.min(room, Math.max(1, defaults.max_length - context.promptLength));
  if (maxNewTokens > room) {
    fail(
      'maxNewTokens',
      `an integer from 1 to ${room} (this model's decoder has room for ${room} after the prompt)`,
      maxNewTokens,
    );
  }
  const minNewTokens =
    options.minNewTokens ?? Math.min(maxNewTokens, Math.max(0, defaults.min_length - context.promptLength));
  if (minNewTokens > maxNewTokens)
    fail('minNewTokens', `an integer from 0 to maxNewTokens (${maxNewTokens})`, minNewTokens);
  return { maxNewTokens, minNewTokens };
}

/** The largest maxNewTokens a model allows after a prompt: the table's bound or the decoder's room, whichever is less. */
export function maxNewTokensFor(context: PromptContext): number {
  return Math.min(optionSpec('maxNewTokens').max as number, context.maxPositions - context.promptLength);
}

function resolveBeams(
  options: GenerationOptions,
  defaults: GenerationDefaults,
  strategy: DecodingStrategy,
): Pick<DecodingPlan, 'numBeams' | 'numReturnSequences' | 'lengthPenalty' | 'earlyStopping'> {
  const earlyStopping = defaults.early_stopping ?? false;
  const lengthPenalty = options.lengthPenalty ?? defaults.length_penalty;
  if (strategy !== 'beam') return { numBeams: 1, numReturnSequences: 1, lengthPenalty, earlyStopping };
  const numBeams = options.numBeams ?? (defaults.num_beams > 1 ? defaults.num_beams : 3);
  const numReturnSequences = options.numReturnSequences ?? 1;
  if (numReturnSequences > numBeams)
    fail('numReturnSequences', `an integer from 1 to numBeams (${numBeams})`, numReturnSequences);
  return { numBeams, numReturnSequences, lengthPenalty, earlyStopping };
}

function resolveSampling(
  options: GenerationOptions,
): Pick<DecodingPlan, 'temperature' | 'topK' | 'topP' | 'seed'> {
  const pick = (name: 'temperature' | 'topK' | 'topP') =>
    options[name] ?? (optionSpec(name).default as number);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  return { temperature: pick('temperature'), topK: pick('topK'), topP: pick('topP'), seed };
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
