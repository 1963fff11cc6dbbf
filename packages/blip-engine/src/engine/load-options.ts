// Blip.load settings: every limit a named setting with a default.

import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../image/decode-gate.js';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from '../image/index.js';
import type { CompileProperties } from '../openvino/index.js';
import { DEFAULT_TEXT_LIMITS, type TextLimits } from '../text/index.js';

/** See LoadOptions.inferencePrecision. */
export type InferencePrecision = 'auto' | 'f32' | 'bf16';
export const INFERENCE_PRECISIONS: readonly InferencePrecision[] = ['auto', 'f32', 'bf16'];

export interface LoadOptions {
  /** OpenVINO device. */
  device?: string;
  /**
   * 'auto' (default): OpenVINO's own default for FP16/FP32 folders (bf16 on CPUs that have it, f32 elsewhere)
   * and f32 for folders with an INT8 part (faster there than bf16: BENCHMARKS.md). 'f32' is the exact mode,
   * token-exact with Hugging Face (the golden tests use it); 'bf16' asks for bf16 whatever the folder.
   */
  inferencePrecision?: InferencePrecision;
  performanceHint?: 'LATENCY' | 'THROUGHPUT';
  /**
   * For folders with INT8 parts: how many input values OpenVINO's CPU plugin quantizes together when it
   * quantizes activations on the fly for INT8 weights (its DYNAMIC_QUANTIZATION_GROUP_SIZE; 0 = off). Default
   * 256: the full-size INT8 decoder step 14.4 → 12.8 ms against OpenVINO's 32, answers of the demo model
   * unchanged (BENCHMARKS.md, "Issue 18, session 5"). Other folders have no INT8 weights: not set there.
   */
  dynamicQuantizationGroupSize?: number;
  numStreams?: number;
  numThreads?: number;
  /** Folder for OpenVINO's compiled-model cache (faster second load). */
  cacheDir?: string;
  /** Generations running at once. */
  concurrency?: number;
  /**
   * Continuous batching (default on): the decoder steps of generations running at once share one decoder run
   * per token (rows join and leave between steps). Needs concurrency > 1 to have company, and a folder whose
   * decoder takes positions and a cross-attention mask; other folders run each generation's steps alone.
   */
  batching?: boolean;
  /**
   * Inference runs take turns, one at a time in the process: each already uses every core (LATENCY hint), so
   * two at once, e.g. one client's vision encoder beside others' decoder steps, oversubscribe the cores and
   * slow each other down (BENCHMARKS.md "Throughput: continuous batching"). Default: on, unless the THROUGHPUT
   * hint or numStreams > 1 ask for runs that share the cores.
   */
  serialInference?: boolean;
  /** Generations waiting; past it calls are refused at once with OVERLOADED. */
  maxQueue?: number;
  /** Image-embedding LRU entries (0 = no cache). */
  imageCacheSize?: number;
  /** Prepared (decoded, resized) images kept by content and pixel spec (about 1.7 MB each at 384 px). */
  preparedCacheSize?: number;
  /** Skip the sha256 check of the weights (faster load of a folder you just checked). */
  verifyHashes?: boolean;
  limits?: Partial<ImageLimits & TextLimits & DecodeLimits>;
}

/**
 * Defaults: 4 generations at once (their decoder steps batched: at one client the path is the same as with 1,
 * and 4 clients get more answers/s — BENCHMARKS.md "Throughput through the API"), 16 waiting, 32 cached images,
 * precision by folder, latency hint.
 */
export const DEFAULT_LOAD_OPTIONS = {
  device: 'CPU',
  inferencePrecision: 'auto',
  performanceHint: 'LATENCY',
  dynamicQuantizationGroupSize: 256,
  concurrency: 4,
  batching: true,
  maxQueue: 16,
  imageCacheSize: 32,
  preparedCacheSize: 16,
} as const;

/** Whether runs take turns (LoadOptions.serialInference): as asked, else unless streams are to share the cores. */
export function serialInference(options: LoadOptions): boolean {
  const hint = options.performanceHint ?? DEFAULT_LOAD_OPTIONS.performanceHint;
  return options.serialInference ?? (hint === 'LATENCY' && (options.numStreams ?? 1) <= 1);
}

/** The limits with defaults filled in. */
export function resolveLimits(options: LoadOptions): {
  image: ImageLimits;
  text: TextLimits;
  decode: DecodeLimits;
} {
  const given = options.limits ?? {};
  const pick = <T extends object>(defaults: T): T =>
    Object.fromEntries(
      Object.entries(defaults).map(([key, value]) => [key, (given as Record<string, unknown>)[key] ?? value]),
    ) as T;
  return {
    image: pick(DEFAULT_IMAGE_LIMITS),
    text: pick(DEFAULT_TEXT_LIMITS),
    decode: pick(DEFAULT_DECODE_LIMITS),
  };
}

/** The precision hint for a folder whose parts have `weights` precisions; undefined = OpenVINO's default. */
export function precisionHint(
  precision: InferencePrecision,
  weights: readonly string[],
): 'f32' | 'bf16' | undefined {
  if (precision !== 'auto') return precision;
  return weights.includes('int8') ? 'f32' : undefined;
}

/** OpenVINO compile properties for every part of a folder whose parts have `weights` precisions. */
export function compileProperties(options: LoadOptions, weights: readonly string[]): CompileProperties {
  const precision = options.inferencePrecision ?? DEFAULT_LOAD_OPTIONS.inferencePrecision;
  return {
    INFERENCE_PRECISION_HINT: precisionHint(precision, weights),
    PERFORMANCE_HINT: options.performanceHint ?? DEFAULT_LOAD_OPTIONS.performanceHint,
    DYNAMIC_QUANTIZATION_GROUP_SIZE: weights.includes('int8')
      ? (options.dynamicQuantizationGroupSize ?? DEFAULT_LOAD_OPTIONS.dynamicQuantizationGroupSize)
      : undefined,
    NUM_STREAMS: options.numStreams,
    INFERENCE_NUM_THREADS: options.numThreads,
    CACHE_DIR: options.cacheDir,
  };
}
