// The engine's loaded models as the API names them: FP16 and INT8 builds of one model share a base name, and
// `options.model` / `options.precision` pick one of them. Loading, unique ids and what a model can do are the
// engine's (Engine.models()); this file only maps GraphQL's choice onto an engine model id.
import type { ModelInfo } from '@blip/engine';
import { ApiError } from '../errors.js';
import type { GenerationSettings, Precision } from '../store/types.js';

/** One loaded model and how the API names it. */
export interface LoadedModel {
  /** The engine's model id: unique among loaded models. */
  name: string;
  /** The name without a -fp16/-int8/-fp32 suffix: FP16 and INT8 builds of one model share it. */
  baseName: string;
  precision: Precision;
  isDefault: boolean;
  info: ModelInfo;
}

/** INT8 when any part is quantized, else FP16 when any part is half, else FP32. */
export function overallPrecision(info: ModelInfo): Precision {
  const parts = Object.values(info.precision);
  if (parts.includes('int8')) return 'INT8';
  if (parts.includes('fp16')) return 'FP16';
  return 'FP32';
}

/** Strips a precision suffix: "shapes-demo-int8" → "shapes-demo". */
export function baseNameOf(name: string): string {
  return name.replace(/[-_.](fp16|fp32|int8)$/i, '');
}

/** The models the engine has loaded, as GraphQL lists and picks them. */
export class ModelCatalog {
  private readonly models: LoadedModel[];

  constructor(infos: readonly ModelInfo[]) {
    this.models = infos.map((info, i) => ({
      name: info.id,
      baseName: baseNameOf(info.name),
      precision: overallPrecision(info),
      isDefault: i === 0,
      info,
    }));
  }

  /** Every loaded model, the default first. */
  list(): LoadedModel[] {
    return this.models;
  }

  /** The model that settings ask for; INVALID_OPTIONS on `model` or `precision` when none fits. */
  select(settings: Pick<GenerationSettings, 'model' | 'precision'>): LoadedModel {
    const wanted = settings.model ?? this.models[0]?.baseName;
    const named = this.models.filter((m) => m.name === wanted || m.baseName === wanted);
    if (named.length === 0) {
      const names = this.models.map((m) => m.name).join(', ');
      throw new ApiError('INVALID_OPTIONS', `model "${wanted}" is not loaded; loaded: ${names}`, 'model');
    }
    const exact = named.find((m) => m.name === wanted);
    if (!settings.precision) return exact ?? (named[0] as LoadedModel);
    const fit = named.find((m) => m.precision === settings.precision);
    if (fit) return fit;
    const have = named.map((m) => m.precision).join(', ');
    throw new ApiError(
      'INVALID_OPTIONS',
      `model "${wanted}" is not loaded in ${settings.precision}; available: ${have}`,
      'precision',
    );
  }
}
