// The engine's public contract: what the API, the command line and the benchmarks see.
// Shapes and units sit on the fields; everything here is plain data.

/** Which task a model folder can do. A `blip-vqa` model also captions (decoder on the image embeddings). */
export type ModelFamily = 'blip-vqa' | 'blip-caption';

/** Weight precision of one part, as the manifest records it. */
export type PartPrecision = 'fp32' | 'fp16' | 'int8';

/** How new tokens are chosen. */
export type DecodingStrategy = 'greedy' | 'beam' | 'sample';

/** Settings of one caption or answer; every field optional, defaults come from the manifest. Validated, never clamped. */
export interface GenerationOptions {
  strategy?: DecodingStrategy;
  /** Beam search width (strategy 'beam'), 2..16. */
  numBeams?: number;
  /** How many finished beams to return as alternatives, 1..numBeams. */
  numReturnSequences?: number;
  /** Beam score = sum log-prob / length^lengthPenalty (Hugging Face semantics). */
  lengthPenalty?: number;
  /** Sampling: logits divided by this, > 0. */
  temperature?: number;
  /** Sampling: keep the k most likely tokens (0 = off). */
  topK?: number;
  /** Sampling: keep the smallest set whose probability reaches p, in (0, 1]. */
  topP?: number;
  /** Sampling: seed of the engine's own PRNG, so a run can be repeated exactly. */
  seed?: number;
  /** Hugging Face's CTRL-style penalty, >= 1 (1 = off). */
  repetitionPenalty?: number;
  /** Generated tokens before the end token may be chosen. */
  minNewTokens?: number;
  /** Generated tokens at most (the decoder start and caption prompt do not count). */
  maxNewTokens?: number;
}

/** One streamed token: its position among the generated tokens, its id and the text it adds. */
export interface TokenEvent {
  type: 'token';
  /** 0-based index among generated tokens. */
  index: number;
  tokenId: number;
  /** Text to append to what was streamed so far ('' while a word piece is held back). */
  delta: string;
}

/** Milliseconds spent in each stage of one caption or answer. */
export interface Timings {
  /** Decode + resize + normalise; 0 when the caller passed a prepared image. */
  preprocessMs: number;
  /** Vision encoder; 0 when the embeddings came from the cache. */
  visionMs: number;
  /** Text encoder (answers only). */
  textEncoderMs: number;
  /** From the start of the call to the first generated token. */
  firstTokenMs: number;
  /** Mean decoder step after the first. */
  perTokenMs: number;
  /** Whole call. */
  totalMs: number;
  /** Time spent waiting for a free slot before any work started. */
  queueMs: number;
}

/** One finished sequence with its Hugging Face sequence score (beam search) or summed log-probability. */
export interface Candidate {
  text: string;
  /** Generated token ids only (no decoder start, no prompt, end token removed). */
  tokenIds: number[];
  score: number;
}

/** Why generation stopped. */
export type FinishReason = 'eos' | 'length' | 'cancelled';

/** The complete result of a caption or answer. */
export interface GenerationResult {
  text: string;
  tokenIds: number[];
  /** Best first; one entry for greedy and sampling, numReturnSequences for beams. */
  alternatives: Candidate[];
  finishReason: FinishReason;
  imageCacheHit: boolean;
  timings: Timings;
}

/** The last event of a stream. */
export interface DoneEvent {
  type: 'done';
  result: GenerationResult;
}

export type StreamEvent = TokenEvent | DoneEvent;

/** Per-call settings besides generation: cancellation. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** What a loaded model is, for reports and the API's model list. */
export interface ModelInfo {
  name: string;
  family: ModelFamily;
  folder: string;
  source: string;
  /** e.g. { vision_model: 'fp16', text_encoder: 'fp16', text_decoder: 'int8' } */
  precision: Record<string, PartPrecision>;
  imageSize: number;
  captionPrompt: string | null;
}

/** Counters that tests and /metrics read; they only grow. */
export interface EngineStats {
  visionRuns: number;
  textEncoderRuns: number;
  decoderSteps: number;
  imageCacheHits: number;
  imageCacheMisses: number;
}

/** Machine-readable error kinds; every error the engine throws is a BlipError with one of these. */
export type BlipErrorCode =
  | 'INVALID_IMAGE'
  | 'IMAGE_TOO_LARGE'
  | 'INVALID_QUESTION'
  | 'INVALID_OPTIONS'
  | 'MODEL_INVALID'
  | 'UNSUPPORTED_TASK'
  | 'CANCELLED'
  | 'OVERLOADED'
  | 'RUNTIME';
