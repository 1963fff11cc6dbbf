// Compiling a folder's parts once (with the load options) and warming them up before the first caller.
import { BlipError } from '../errors.js';
import type { ModelFolder } from '../model/model-folder.js';
import { Core } from '../openvino/index.js';
import type { Blip } from './blip.js';
import type { EngineContext } from './generation.js';
import { compileProperties, type LoadOptions } from './load-options.js';
import { PartRunner } from './part-runner.js';

let sharedCore: Core | null = null;

/** One OpenVINO Core for the process (it owns the plugins; compiled models are independent of each other). */
export function core(): Core {
  sharedCore ??= new Core();
  return sharedCore;
}

/** Compiles every part the family needs, each with a pool of `poolSize` infer requests. */
export async function compileParts(
  model: ModelFolder,
  options: LoadOptions,
  poolSize: number,
): Promise<EngineContext['parts']> {
  const properties = compileProperties(options);
  const device = options.device ?? 'CPU';
  const runners = new Map<string, PartRunner>();
  try {
    core();
  } catch (error) {
    throw new BlipError('RUNTIME', `OpenVINO is not available: ${(error as Error).message}`, {
      cause: error,
    });
  }
  for (const part of model.parts) {
    try {
      const graph = await core().readModel(part.xmlPath, part.binPath);
      const compiled = await core().compileModel(graph, device, properties);
      graph.dispose();
      runners.set(part.spec.name, new PartRunner(part.spec, compiled, poolSize));
    } catch (error) {
      for (const runner of runners.values()) runner.dispose();
      const reason = error instanceof Error ? error.message : String(error);
      throw new BlipError(
        'MODEL_INVALID',
        `${model.folder}: cannot compile ${part.spec.name} on ${device}: ${reason}`,
        {
          cause: error,
        },
      );
    }
  }
  const need = (name: string) => runners.get(name) as PartRunner;
  return {
    vision: need('vision_model'),
    textEncoder: runners.get('text_encoder') ?? null,
    crossKv: need('text_decoder_cross_kv'),
    decoder: need('text_decoder'),
  };
}

/** Runs every part once on a blank image (first inference allocates and tunes), then forgets it and zeroes the counters. */
export async function warmUp(blip: Blip, ctx: EngineContext): Promise<void> {
  const size = ctx.manifest.image.size;
  const blank = {
    key: 'warm-up',
    width: size,
    height: size,
    format: 'raw',
    pixels: new Float32Array(3 * size * size),
    preprocessMs: 0,
  };
  await blip.caption(blank, { maxNewTokens: 2 });
  if (ctx.parts.textEncoder) await blip.answer(blank, 'what', { maxNewTokens: 2 });
  ctx.imageCache.clear();
  for (const key of Object.keys(ctx.stats) as (keyof typeof ctx.stats)[]) ctx.stats[key] = 0;
}
