// The loaded models. FP16 and INT8 builds of one model can sit side by side; options.model/precision pick one.
import { basename } from 'node:path';
import { Blip, type LoadOptions, type ModelInfo } from '@blip/engine';
import { ApiError } from '../errors.js';
import type { GenerationSettings, Precision } from '../store/types.js';

/** One loaded model and how the API names it. */
export interface LoadedModel {
  /** Unique among loaded models (the manifest name, or the folder name when two manifests share one). */
  name: string;
  /** The name without a -fp16/-int8/-fp32 suffix: FP16 and INT8 builds of one model share it. */
  baseName: string;
  precision: Precision;
  isDefault: boolean;
  info: ModelInfo;
  blip: Blip;
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

/** The manifest name, or the folder name when that is taken, or either with a counter. */
function uniqueName(name: string, folder: string, loaded: LoadedModel[]): string {
  const taken = (n: string) => loaded.some((m) => m.name === n);
  for (const candidate of [name, basename(folder)]) if (!taken(candidate)) return candidate;
  let i = 2;
  while (taken(`${name}-${i}`)) i++;
  return `${name}-${i}`;
}

/** The set of models this server runs. */
export class ModelRegistry {
  private constructor(private readonly models: LoadedModel[]) {}

  /** Loads (compiles and warms up) every folder, one after the other; the first is the default. */
  static async load(folders: string[], options: LoadOptions): Promise<ModelRegistry> {
    if (folders.length === 0) throw new Error('no model folders configured (BLIP_MODELS)');
    const models: LoadedModel[] = [];
    for (const folder of folders) {
      const blip = await Blip.load(folder, options);
      const name = uniqueName(blip.info.name, folder, models);
      models.push({
        name,
        baseName: baseNameOf(blip.info.name),
        precision: overallPrecision(blip.info),
        isDefault: models.length === 0,
        info: blip.info,
        blip,
      });
    }
    return new ModelRegistry(models);
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

  /** Running and waiting generations summed over every model. */
  queueDepth(): { running: number; waiting: number } {
    let running = 0;
    let waiting = 0;
    for (const m of this.models) {
      const q = m.blip.queueDepth();
      running += q.running;
      waiting += q.waiting;
    }
    return { running, waiting };
  }

  /** Frees every model's native resources. */
  async dispose(): Promise<void> {
    await Promise.all(this.models.map((m) => m.blip.dispose()));
  }
}
