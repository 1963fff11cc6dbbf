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
  /** Geometric mean of the chosen tokens' probabilities, end token included, 0..1 (see GenerationResult.confidence). */
  confidence: number;
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
  /**
   * How sure the model was of this text, 0..1: the geometric mean of the probabilities of the chosen tokens (the
   * end token included), from the distribution the search scored them with (after the repetition penalty and the
   * min-length rule, before temperature/top-k/top-p). Beam scores and sampling stay exact; this is computed beside
   * them. 0 when cancelled or nothing was generated. Compare it with ModelInfo.confidenceThreshold.
   */
  confidence: number;
  imageCacheHit: boolean;
  timings: Timings;
}

/** The last event of a stream. */
export interface DoneEvent {
  type: 'done';
  result: GenerationResult;
}

/**
 * Where a call is before its first token; `at` is a wall-clock timestamp (ms since the epoch).
 * Always in this order: queued (one or more: again each time the line moves), image, answering.
 */
export type ProgressEvent =
  /** Waiting for a slot: `position` 1 = next in line; 0 = a slot was free, no wait. */
  | { type: 'queued'; position: number; at: number }
  /** Reading the image: from the embedding cache, or running the vision encoder (after decoding if needed). */
  | { type: 'image'; source: 'cache' | 'encoder'; at: number }
  /** The image (and question) are encoded; the decoder starts. Tokens follow. */
  | { type: 'answering'; at: number };

export type StreamEvent = ProgressEvent | TokenEvent | DoneEvent;

/** Per-call settings besides generation: cancellation. */
export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * What a model can be asked to do: 'caption' (every family), 'answer' (blip-vqa), and with the optional
 * image-text parts 'embed' (image and text feature vectors) and 'match' (image-text matching probability).
 */
export type Capability = 'caption' | 'answer' | 'embed' | 'match';

/** What a model knows, from its manifest's optional `card` (models/MODEL_FOLDER.md), for people and the UI. */
export interface ModelCard {
  summary: string;
  /** Kinds of question it was trained or evaluated on, each with example questions. */
  questionTypes: { name: string; examples: string[] }[];
  /** What it answers to a question outside what it knows (e.g. "unknown"), or null when it has no such answer. */
  outsideAnswer: string | null;
}

/** What a loaded model is, for reports and the API's model list. */
export interface ModelInfo {
  /** Unique among an engine's loaded models: the manifest name, or the folder name when that is taken. */
  id: string;
  name: string;
  family: ModelFamily;
  folder: string;
  source: string;
  /** e.g. { vision_model: 'fp16', text_encoder: 'fp16', text_decoder: 'int8' } */
  precision: Record<string, PartPrecision>;
  imageSize: number;
  captionPrompt: string | null;
  /** What it can do: 'caption' for every family, 'answer' for blip-vqa, 'embed'/'match' with image-text parts. */
  capabilities: Capability[];
  /** The largest maxNewTokens an answer may ask for on this model (the option table's bound or the decoder's room). */
  maxNewTokens: number;
  /** The precision OpenVINO runs the parts at (INFERENCE_PRECISION_HINT as compiled: 'f32', 'bf16', …). */
  inferencePrecision: string;
  card: ModelCard | null;
  /** Below this GenerationResult.confidence, the manifest says an answer should be shown as unsure; null = no advice. */
  confidenceThreshold: number | null;
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
  | 'TOO_MANY_GENERATIONS'
  | 'RUNTIME';
