// Compiling a folder's parts once with the load options: one Core per process, one PartRunner per part.
import { BlipError } from '../errors.js';
import type { ModelFolder } from '../model/model-folder.js';
import { PARTS, type PartName, tensorNames } from '../model/parts.js';
import {
  type CompileProperties,
  Core,
  type ElementTypes,
  type Model,
  withElementTypes,
} from '../openvino/index.js';
import { checkPorts } from './check-ports.js';
import { PartRunner } from './part-runner.js';
import type { Turns } from './turns.js';

let sharedCore: Core | null = null;

/** The compiled parts of one model folder (text encoder only for VQA families; image-text parts when listed). */
export interface CompiledParts {
  vision: PartRunner;
  textEncoder: PartRunner | null;
  crossKv: PartRunner;
  decoder: PartRunner;
  imageText: ImageTextRunners | null;
}

/** The optional image-text parts (models/MODEL_FOLDER.md): all three or none. */
export interface ImageTextRunners {
  imageFeature: PartRunner;
  textFeature: PartRunner;
  match: PartRunner;
}

/** One OpenVINO Core for the process (it owns the plugins; compiled models are independent of each other). */
export function core(): Core {
  sharedCore ??= new Core();
  return sharedCore;
}

/**
 * The decoder on the CPU runs without the plugin's "snippets" (its JIT-fused subgraphs, e.g. attention): at
 * bf16, after some sequences of shapes (rows of 1 and 3 beams, questions of other lengths, with or without
 * batching), they returned garbage — one token repeated, or all [PAD] — even on fresh requests of the same
 * compiled model (step-batch.test.ts reproduces it both batched and with batching off). Turning off the
 * plugin's per-shape runtime cache (CPU_RUNTIME_CACHE_CAPACITY=0) cured it too, but cost every step ~25 % at
 * one client; a cache of 1 or 2 entries cured it as well, 16 or more did not — a stale cached kernel of a
 * dynamic snippet subgraph, it seems (OpenVINO only tokenizes dynamic attention when that cache is on). The
 * price of going without snippets, measured on the full-size decoder stepping as a generation does (past
 * growing each step, interleaved, bf16): none that shows — a caption's step 26.9 vs 27.9 ms with them,
 * an answer's 16.6 vs 16.4, four rows 19.9 vs 20.1 (BENCHMARKS.md, "Reading the tutorial comparison").
 */
const DECODER_ON_CPU: CompileProperties = { SNIPPETS_MODE: 'DISABLE' };

/**
 * When the decoder computes in bf16, its self-attention cache (past_* in, present_* out) is bf16 too: each step's
 * present_* outputs are bound as the next step's past_* inputs, so f32 there only meant 48 conversions per step.
 * Bare decoder step, answer (12 cross tokens, 10 past), 60 interleaved rounds: 13.1–13.4 → 12.7 ms; a caption's
 * 15.1 → 14.3 ms; four batched rows 18.2 → 15.6 ms (BENCHMARKS.md, "Issue 18, session 6").
 *
 * When the decoder computes in bf16, the cross K/V (12 layers × 2 × M × 768 values per generation, M = 577 image
 * tokens for a caption) leave the cross-K/V part and enter the decoder as bf16 instead of f32: the decoder then
 * no longer converts 42 MB of f32 to bf16 at every step (OpenVINO folds the Convert it adds at the input into
 * its own), and the engine keeps and batches half the bytes. The decoder rounded them to bf16 before anyway;
 * on the full-size folders captions, greedy and 3-beam answers gave the same tokens and beam scores both ways.
 * Full-size batched decoder at bf16, one step over 577 cross tokens (bare infer(), interleaved): 1 row
 * 18.7 → 16.4 ms, 4 rows 24.0 → 19.9 ms (BENCHMARKS.md, "Issue 18, session 6").
 */
function bf16Edges(part: PartName, layers: number): ElementTypes {
  if (part === 'text_decoder_cross_kv') {
    const { crossKey, crossValue } = PARTS.text_decoder_cross_kv.outputs;
    return { outputs: bf16Each(tensorNames([crossKey, crossValue], layers)) };
  }
  if (part === 'text_decoder') {
    const { crossKey, crossValue, pastKey, pastValue } = PARTS.text_decoder.inputs;
    const { presentKey, presentValue } = PARTS.text_decoder.outputs;
    return {
      inputs: bf16Each(tensorNames([crossKey, crossValue, pastKey, pastValue], layers)),
      outputs: bf16Each(tensorNames([presentKey, presentValue], layers)),
    };
  }
  return {};
}

function bf16Each(names: readonly string[]): Record<string, 'bf16'> {
  return Object.fromEntries(names.map((name) => [name, 'bf16' as const]));
}

/** Whether `properties` make a CPU part compute in bf16: the hint when given, else the device's default. OpenVINO
 * ignores a bf16 hint on a CPU without bf16 instructions (it computes in f32), so the device must list BF16 too. */
function computesInBf16(device: string, properties: CompileProperties): boolean {
  if (device !== 'CPU') return false;
  const hint = properties.INFERENCE_PRECISION_HINT ?? core().getProperty(device, 'INFERENCE_PRECISION_HINT');
  return (
    hint === 'bf16' && core().getProperty(device, 'OPTIMIZATION_CAPABILITIES').split(' ').includes('BF16')
  );
}

/** Compiles every part the family needs, each with a pool of `poolSize` infer requests (the decoder twice that);
 * with `turns`, every run of every part waits for its turn (runtime/turns.ts). */
export async function compileParts(
  model: ModelFolder,
  target: { device: string; properties: CompileProperties },
  poolSize: number,
  turns: Turns | null = null,
): Promise<CompiledParts> {
  const { device } = target;
  const runners = new Map<string, PartRunner>();
  try {
    core();
  } catch (error) {
    throw new BlipError('RUNTIME', `OpenVINO is not available: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const bf16 = computesInBf16(device, target.properties);
  for (const part of model.parts) {
    try {
      let graph: Model = await core().readModel(part.xmlPath, part.binPath);
      try {
        checkPorts(part.spec, graph, model.manifest.decoder.layers, model.folder);
        const types = bf16 ? bf16Edges(part.spec.name, model.manifest.decoder.layers) : {};
        if (types.inputs || types.outputs) {
          const typed = withElementTypes(graph, types);
          graph.dispose();
          graph = typed;
        }
        const properties =
          part.spec.carriesCache && device === 'CPU'
            ? { ...target.properties, ...DECODER_ON_CPU }
            : target.properties;
        const compiled = await core().compileModel(graph, device, properties);
        // A generation holds two decoder requests (see generate/decoder-step.ts); requests are made on demand.
        const requests = part.spec.carriesCache ? 2 * poolSize : poolSize;
        runners.set(part.spec.name, new PartRunner(part.spec, compiled, requests, turns));
      } finally {
        graph.dispose();
      }
    } catch (error) {
      for (const runner of runners.values()) runner.dispose();
      if (error instanceof BlipError) throw error;
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
    imageText: runners.has('image_feature')
      ? {
          imageFeature: need('image_feature'),
          textFeature: need('text_feature'),
          match: need('image_text_match'),
        }
      : null,
  };
}

/** Every runner of a folder, the optional ones included (to dispose them). */
export function allRunners(parts: CompiledParts): PartRunner[] {
  const { imageText, ...main } = parts;
  const runners = [...Object.values(main), ...(imageText ? Object.values(imageText) : [])];
  return runners.filter((runner): runner is PartRunner => runner !== null);
}
