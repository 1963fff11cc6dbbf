// GenerationOptions input → stored settings → the engine's request. The rules (ranges, which strategy an
// option belongs to, numReturnSequences ≤ numBeams …) are the engine's alone: GENERATION_OPTIONS, applied by
// Engine.check(). The API only drops unset fields, merges conversation defaults and picks the model.
import type { Engine, GenerationOptions } from '@blip/engine';
import { toClientError } from '../errors.js';
import type { ModelCatalog } from '../models/catalog.js';
import type { GenerationSettings, Precision } from '../store/types.js';

/** The GraphQL input as Pothos hands it over: unset fields are null or missing. */
export type GenerationOptionsShape = {
  [K in keyof GenerationOptions]?: GenerationOptions[K] | null;
} & { model?: string | null; precision?: Precision | null };

/** Drops unset fields of the input; does not validate. */
export function compactSettings(input: GenerationOptionsShape | null | undefined): GenerationSettings {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input ?? {})) if (v !== null && v !== undefined) out[k] = v;
  return out as GenerationSettings;
}

// Conversation defaults are checked as the options of a caption of an image the engine has never seen: check()
// validates model, task and options and reads no image (the key only has to look like a sha256).
const NO_IMAGE = {
  key: '0'.repeat(64),
  load: () => Promise.reject(new Error('check() reads no image')),
};

/** Throws the engine's INVALID_OPTIONS (naming the field) when the settings break a rule of the model they pick. */
export function checkSettings(engine: Engine, models: ModelCatalog, settings: GenerationSettings): void {
  const model = models.select(settings);
  try {
    engine.check({ task: 'caption', model: model.name, image: NO_IMAGE, options: engineOptions(settings) });
  } catch (err) {
    throw toClientError(err);
  }
}

/** The stored form of an options input, checked by the engine against the model it picks. */
export function settingsFromInput(
  input: GenerationOptionsShape | null | undefined,
  engine: Engine,
  models: ModelCatalog,
): GenerationSettings {
  const settings = compactSettings(input);
  checkSettings(engine, models, settings);
  return settings;
}

const SAMPLING_ONLY = ['temperature', 'topK', 'topP', 'seed'] as const;
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
