// The Engine: what the API (or any other host) depends on. Everything about images, questions, generation
// options and admission is decided behind it, once; the host keeps only its own concerns (transport, owners,
// storage). The in-process engine (loadEngine) and the stand-in (@blip/engine/testing) implement it, and it is
// the seam where an out-of-process engine (a worker pool or a model server) would plug in.
import type { OptionSpec } from '../generate/option-table.js';
import type { DecodeLimits } from '../image/decode-gate.js';
import type { ImageLimits } from '../image/index.js';
import type { Reservation } from '../scheduling/scheduler.js';
import type { TextLimits } from '../text/index.js';
import type { EngineStats, GenerationOptions, GenerationResult, ModelInfo, StreamEvent } from '../types.js';

export type { Reservation } from '../scheduling/scheduler.js';

/** An image the engine has seen: its content key and a way to read its bytes again (after a cache miss). */
export interface ImageRef {
  /** sha256 hex of the bytes, as addImage returned it. */
  key: string;
  load(): Promise<Uint8Array>;
}

/** What the engine found in a new image. */
export interface ImageInfo {
  /** sha256 hex of the bytes: the key of every cache, and what ImageRef.key must be. */
  key: string;
  /** From the bytes, never from a file name: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif'. */
  format: string;
  mime: string;
  /** As displayed (EXIF orientation applied). */
  width: number;
  height: number;
  byteSize: number;
}

/** One caption or answer. */
export interface GenerationRequest {
  task: 'caption' | 'answer';
  /** ModelInfo.id; the first loaded model when absent. */
  model?: string | undefined;
  image: ImageRef;
  /** Required for 'answer', refused for 'caption'. Counted in Unicode code points. */
  question?: string | undefined;
  /** Caption prompt (captioning models; default from the manifest). */
  prompt?: string | undefined;
  options?: GenerationOptions | undefined;
}

/** An image's feature vector (image-text models). */
export interface EmbedImageRequest {
  /** ModelInfo.id; the first loaded model when absent. It must have the 'embed' capability. */
  model?: string | undefined;
  image: ImageRef;
}

/** A text's feature vector; the text follows the question rules (limits().question). */
export interface EmbedTextRequest {
  model?: string | undefined;
  text: string;
}

/** How well a text describes an image, by the image-text matching head. */
export interface MatchRequest {
  /** It must have the 'match' capability. */
  model?: string | undefined;
  image: ImageRef;
  text: string;
}

/**
 * A unit-length feature vector: the cosine similarity of an image's and a text's is their dot product.
 * Vectors are comparable only when their `space` is equal (store it with a vector you keep).
 */
export interface FeatureVector {
  /** ModelInfo.id of the model that made it. */
  model: string;
  /**
   * The vector space: the model id and a digest of the weights the vectors depend on (vision tower and the
   * image-text parts), so a re-exported folder with the same name never mixes its vectors with the old ones.
   */
  space: string;
  /** D floats (the manifest's image_text.feature_size). */
  vector: Float32Array;
}

/** The matching head's verdict on one (image, text) pair. */
export interface MatchResult {
  model: string;
  /** P(the text describes the image), 0..1. */
  probability: number;
}

/** A pino-compatible logger (pino's own child loggers fit): the host's request and turn ids ride on its bindings. */
export interface EngineLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
  child(bindings: Record<string, unknown>): EngineLogger;
}

/** Per call: cancellation, the reservation it draws on, the logger for its lines. */
export interface CallContext {
  signal?: AbortSignal | undefined;
  /** From reserve(): the call is admitted on held room and cannot be OVERLOADED. */
  reservation?: Reservation | undefined;
  /** Engine lines about this call go here (the engine logs nothing without one). */
  logger?: EngineLogger | undefined;
}

/** Everything a client may be told about what the engine accepts; the API publishes it. */
export interface EngineLimits {
  /** The generation options table: name, type, range, default, meaning. */
  options: readonly OptionSpec[];
  /** Question length in code points and in tokens ([CLS] and [SEP] included). */
  question: TextLimits;
  image: ImageLimits & { acceptedFormats: string };
  decode: DecodeLimits;
  admission: {
    /** Generations running at once. */
    concurrency: number;
    /** Generations waiting; past it, OVERLOADED at once. */
    maxQueue: number;
    /** Generations one reservation (one API operation) may hold; more is TOO_MANY_GENERATIONS. */
    maxGenerationsPerCall: number;
  };
}

/** The engine's contract. Every error is a BlipError with a code (see BlipErrorCode). */
export interface Engine {
  /** Loaded models, the default first, with what each can do. */
  models(): readonly ModelInfo[];
  /** The published limits (option table, question, image, decode and admission settings). */
  limits(): EngineLimits;
  /** Checks new bytes completely (format, limits, decode, prepare) and keeps the prepared pixels by content. */
  addImage(bytes: Uint8Array, context?: CallContext): Promise<ImageInfo>;
  /** Validates a request (model, task, question, options) without running or queueing anything. */
  check(request: GenerationRequest): void;
  /**
   * Holds room for `count` generations at once, all or nothing: TOO_MANY_GENERATIONS past
   * maxGenerationsPerCall, OVERLOADED when the queue has no room. Pass it to stream()/run(); release() it after.
   */
  reserve(count: number): Reservation;
  /** Progress events (queued, image, answering), token events, then one done event. Checks the request at once. */
  stream(
    request: GenerationRequest,
    context?: CallContext,
  ): AsyncGenerator<StreamEvent, undefined, undefined>;
  /**
   * The image's feature vector, computed once per image (cached by content key beside its embeddings; store it
   * with the image). Runs in a scheduler slot like a generation (OVERLOADED, CANCELLED, reservations).
   * UNSUPPORTED_TASK when the model has no image-text parts.
   */
  embedImage(request: EmbedImageRequest, context?: CallContext): Promise<FeatureVector>;
  /** A text's feature vector (INVALID_QUESTION for an empty or too long text). In a scheduler slot. */
  embedText(request: EmbedTextRequest, context?: CallContext): Promise<FeatureVector>;
  /** The matching probability of one pair (a re-rank calls it once per candidate). In a scheduler slot. */
  match(request: MatchRequest, context?: CallContext): Promise<MatchResult>;
  /** The stream run to its done event; CANCELLED if cancelled. */
  run(request: GenerationRequest, context?: CallContext): Promise<GenerationResult>;
  /** Counters of all models since load; they only grow. */
  stats(): EngineStats;
  /** Generations running and waiting now. */
  queueDepth(): { running: number; waiting: number };
  /** Refuses waiting calls and frees the models once running calls end. */
  dispose(): Promise<void>;
}
