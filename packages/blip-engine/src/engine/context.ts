// What one generation reads: the loaded model's shared context, the validated task and where its image comes from.
import type { Embeddings } from '../embeddings/encoders.js';
import type { LruCache } from '../embeddings/lru-cache.js';
import type { InputMeta } from '../generate/kv-cache.js';
import type { DecodingPlan } from '../generate/options.js';
import type { StepBatch } from '../generate/step-batch.js';
import type { PreparedImage } from '../image/index.js';
import type { Manifest } from '../model/manifest.js';
import type { CompiledParts } from '../runtime/compile-parts.js';
import type { Reservation, Scheduler } from '../scheduling/scheduler.js';
import type { TextCodec } from '../text/codec.js';
import type { EngineStats } from '../types.js';
import type { EngineLogger } from './engine.js';

/** Everything a generation reads, shared by all calls of one loaded model. */
export interface EngineContext {
  /** Absolute model folder. */
  folder: string;
  manifest: Manifest;
  parts: CompiledParts;
  decoderInputs: readonly InputMeta[];
  /** The decoder graph takes positions and a cross-attention mask (PARTS.text_decoder.batchInputs). */
  batchInputs: boolean;
  /** Continuous batching of decoder steps (on, and the graph can): every generation's steps run together. */
  batch: StepBatch | null;
  text: TextCodec;
  imageCache: LruCache<string, Promise<Embeddings>>;
  /** Image feature vectors [D] by content key (models with image-text parts), as many entries as imageCache. */
  imageFeatures: LruCache<string, Promise<Float32Array>>;
  scheduler: Scheduler;
  stats: EngineStats;
  /** Benchmark only: run text_decoder_cross_kv before every decoder step, as a decoder without the split would. */
  recomputeCrossKvEachStep?: boolean;
}

/** Where a call's image comes from: its content key (the embedding cache's key) and, on a miss, its pixels. */
export interface ImageSource {
  key: string;
  /** Prepared pixels; `decoded` when they were decoded for this call (its preprocessMs counts). */
  pixels(): Promise<{ image: PreparedImage; decoded: boolean }>;
}

/** One validated call: what to generate from. */
export interface GenerationTask {
  image: ImageSource;
  /** Question ids ([CLS] … [SEP]) for an answer; null for a caption. */
  questionIds: number[] | null;
  /** Decoder start (+ caption prompt ids). */
  promptIds: number[];
  plan: DecodingPlan;
  /** The caller's signal, if any (the stream's own return() aborts through the producer's signal). */
  signal?: AbortSignal;
  /** Room held by Engine.reserve(): admitted without an OVERLOADED check. */
  reservation?: Reservation;
  /** The host's logger for this call (its request and turn ids in its bindings); nothing is logged without one. */
  logger?: EngineLogger;
}
