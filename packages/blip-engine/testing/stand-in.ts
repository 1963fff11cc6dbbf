// The stand-in Engine for host tests (the API's): no model, no OpenVINO, deterministic and fast, with the real
// engine's rules where they are not about weights — the same scheduler (admission, queue positions,
// reservations, cancellation), the same image intake (sharp decode, limits, decode gate), the same option
// table and question rules, the same request checks and event order. Its generations answer from a script,
// or wait for the test (hold()) so overload and cancellation are driven by the test, never by timing.
import { LruCache } from '../src/embeddings/lru-cache.js';
import { generationLog, loggedAddImage } from '../src/engine/call-log.js';
import { collect } from '../src/engine/calls.js';
import type {
  CallContext,
  EmbedImageRequest,
  EmbedTextRequest,
  Engine,
  EngineLimits,
  FeatureVector,
  GenerationRequest,
  ImageInfo,
  MatchRequest,
  MatchResult,
  Reservation,
} from '../src/engine/engine.js';
import { ImageIntake } from '../src/engine/image-intake.js';
import { resolveLimits } from '../src/engine/load-options.js';
import { publishLimits } from '../src/engine/published-limits.js';
import {
  checkImageTextRequest,
  checkRequestShape,
  checkReserveCount,
  pickModel,
} from '../src/engine/request-checks.js';
import { BlipError } from '../src/errors.js';
import { type DecodingPlan, resolveGenerationOptions } from '../src/generate/options.js';
import type { DecodeLimits } from '../src/image/decode-gate.js';
import type { ImageLimits } from '../src/image/index.js';
import { Scheduler } from '../src/scheduling/scheduler.js';
import { eventStream } from '../src/stream/event-stream.js';
import { encodePrompt, encodeQuestion, type TextLimits } from '../src/text/index.js';
import type { EngineStats, GenerationResult, ModelInfo, StreamEvent } from '../src/types.js';
import { type HeldGeneration, Hold } from './held.js';
import { hashedVector, type StandInFeatures, unit, wordsVector } from './stand-in-features.js';
import { DEFAULTS, MAX_POSITIONS, SPEC, standInModel, wordTokenizer } from './stand-in-model.js';
import { produceWords, type WordsOutcome } from './words.js';

export interface StandInOptions {
  /** Loaded models (fields over a VQA default); the first is the default. */
  models?: Partial<ModelInfo>[];
  concurrency?: number;
  maxQueue?: number;
  maxGenerationsPerCall?: number;
  imageCacheSize?: number;
  limits?: Partial<ImageLimits & TextLimits & DecodeLimits>;
  /** The text of a generation that is not held; default 'a stand-in caption' / 'a stand-in answer'. */
  reply?: (request: GenerationRequest) => string;
  /** GenerationResult.confidence of generations that are not held (or released without one). */
  confidence?: number;
  /** Clock of the progress events' `at`. */
  now?: () => number;
  /** Image and text feature vectors by image key / text (default: hashed; match = (cosine + 1) / 2). */
  features?: StandInFeatures;
}

/** The stand-in; hold() is its only addition to Engine. */
export class StandInEngine implements Engine {
  private readonly scheduler: Scheduler;
  private readonly intake: ImageIntake;
  private readonly embedded: LruCache<string, true>;
  private readonly holds: Hold[] = [];
  private readonly loaded: { info: ModelInfo }[];
  private readonly published: EngineLimits;
  private readonly counters: EngineStats = {
    visionRuns: 0,
    textEncoderRuns: 0,
    decoderSteps: 0,
    imageCacheHits: 0,
    imageCacheMisses: 0,
  };
  private readonly now: () => number;

  constructor(private readonly options: StandInOptions = {}) {
    const limits = resolveLimits({ limits: options.limits ?? {} });
    this.scheduler = new Scheduler(options.concurrency ?? 1, options.maxQueue ?? 16);
    this.intake = new ImageIntake(limits.image, limits.decode, 16);
    this.embedded = new LruCache(options.imageCacheSize ?? 32);
    this.loaded = (options.models ?? [{}]).map((fields) => ({ info: standInModel(fields) }));
    this.now = options.now ?? Date.now;
    this.published = publishLimits(limits, this.scheduler, options.maxGenerationsPerCall ?? 1);
  }

  /** The next generation to start (take a slot) waits for the test's commands on the returned handle. */
  hold(): HeldGeneration {
    const hold = new Hold();
    this.holds.push(hold);
    return hold;
  }

  models(): readonly ModelInfo[] {
    return this.loaded.map((m) => m.info);
  }

  limits(): EngineLimits {
    return this.published;
  }

  addImage(bytes: Uint8Array, context: CallContext = {}): Promise<ImageInfo> {
    return loggedAddImage(context.logger, bytes, () => this.intake.add(bytes, SPEC));
  }

  check(request: GenerationRequest): void {
    this.plan(request);
  }

  reserve(count: number): Reservation {
    checkReserveCount(count, this.published.admission.maxGenerationsPerCall);
    return this.scheduler.reserve(count);
  }

  stream(
    request: GenerationRequest,
    context: CallContext = {},
  ): AsyncGenerator<StreamEvent, undefined, undefined> {
    const plan = this.plan(request);
    const model = pickModel(this.loaded, request).info.name;
    return eventStream<StreamEvent>(async (streamEmit, streamSignal) => {
      const signal = context.signal ? AbortSignal.any([streamSignal, context.signal]) : streamSignal;
      const clock: Clock = { start: performance.now(), queueMs: 0, preprocessMs: 0, tokensAt: [] };
      const emit = (event: StreamEvent) => {
        if (event.type === 'token') clock.tokensAt.push(performance.now());
        streamEmit(event);
      };
      const log = generationLog(context.logger, model, request.task);
      const slot = await this.scheduler.acquire({
        signal,
        reservation: context.reservation,
        onPosition: (position) => emit({ type: 'queued', position, at: this.now() }),
      });
      clock.queueMs = slot.queueMs;
      log.started(slot.queueMs, plan.strategy);
      try {
        const cacheHit = await this.readImage(request, emit, clock);
        emit({ type: 'answering', at: this.now() });
        const hold = this.holds.shift();
        hold?.begin(request);
        const outcome = await produceWords({ hold, request, plan, signal, emit, reply: this.reply(request) });
        this.counters.decoderSteps += outcome.words.length;
        const result = this.result(outcome, plan, cacheHit, clock);
        emit({ type: 'done', result });
        log.done(result);
      } catch (error) {
        throw log.failed(error);
      } finally {
        slot.release();
      }
    });
  }

  async embedImage(request: EmbedImageRequest, context: CallContext = {}): Promise<FeatureVector> {
    const model = pickModel(this.loaded, request);
    checkImageTextRequest(model.info, 'embed', { image: request.image });
    return this.inSlot(context, async () => {
      if (!this.embedded.get(request.image.key)) {
        await this.intake.pixels(request.image, SPEC); // a miss reads the image again, as the engine's does
        this.counters.visionRuns++;
        this.embedded.set(request.image.key, true);
      }
      return {
        model: model.info.id,
        space: `${model.info.id}:stand-in`,
        vector: this.imageVector(request.image.key),
      };
    });
  }

  async embedText(request: EmbedTextRequest, context: CallContext = {}): Promise<FeatureVector> {
    const model = pickModel(this.loaded, request);
    checkImageTextRequest(model.info, 'embed', { text: request.text });
    encodeQuestion(wordTokenizer, request.text, this.published.question);
    return this.inSlot(context, async () => ({
      model: model.info.id,
      space: `${model.info.id}:stand-in`,
      vector: this.textVector(request.text),
    }));
  }

  async match(request: MatchRequest, context: CallContext = {}): Promise<MatchResult> {
    const model = pickModel(this.loaded, request);
    checkImageTextRequest(model.info, 'match', request);
    encodeQuestion(wordTokenizer, request.text, this.published.question);
    return this.inSlot(context, async () => {
      const [image, text] = [this.imageVector(request.image.key), this.textVector(request.text)];
      const cosine = image.reduce((sum, x, i) => sum + x * (text[i] as number), 0);
      return { model: model.info.id, probability: (cosine + 1) / 2 };
    });
  }

  run(request: GenerationRequest, context: CallContext = {}): Promise<GenerationResult> {
    return collect(() => this.stream(request, context), context.signal);
  }

  stats(): EngineStats {
    return { ...this.counters };
  }

  queueDepth(): { running: number; waiting: number } {
    return this.scheduler.depth();
  }

  async dispose(): Promise<void> {
    this.scheduler.rejectWaiting(new BlipError('CANCELLED', 'the model was disposed'));
    this.intake.clear();
  }

  /** Image-text calls take a slot like the engine's: admission, reservations and cancellation apply. */
  private async inSlot<R>(context: CallContext, work: () => Promise<R>): Promise<R> {
    const slot = await this.scheduler.acquire({ signal: context.signal, reservation: context.reservation });
    try {
      return await work();
    } finally {
      slot.release();
    }
  }

  private imageVector(key: string): Float32Array {
    const given = this.options.features?.image?.(key);
    return given ? unit(given) : hashedVector(key);
  }

  private textVector(text: string): Float32Array {
    const given = this.options.features?.text?.(text);
    return given ? unit(given) : wordsVector(text);
  }

  /** The real engine's checks, with the word tokenizer standing in for WordPiece. */
  private plan(request: GenerationRequest): DecodingPlan {
    const model = pickModel(this.loaded, request);
    checkRequestShape(request, model.info);
    let promptLength = 1;
    if (request.task === 'answer') encodeQuestion(wordTokenizer, request.question, this.published.question);
    else if (request.prompt !== undefined)
      promptLength = encodePrompt(wordTokenizer, request.prompt, 0, this.published.question).length;
    return resolveGenerationOptions(request.options ?? {}, DEFAULTS, {
      promptLength,
      maxPositions: MAX_POSITIONS,
    });
  }

  /** Embeddings "cache": a miss re-reads and decodes the image through the real intake. */
  private async readImage(
    request: GenerationRequest,
    emit: (e: StreamEvent) => void,
    clock: Clock,
  ): Promise<boolean> {
    const hit = this.embedded.get(request.image.key) !== undefined;
    emit({ type: 'image', source: hit ? 'cache' : 'encoder', at: this.now() });
    if (hit) this.counters.imageCacheHits++;
    else {
      this.counters.imageCacheMisses++;
      const decodeStart = performance.now();
      await this.intake.pixels(request.image, SPEC);
      clock.preprocessMs = performance.now() - decodeStart;
      this.counters.visionRuns++;
      this.embedded.set(request.image.key, true);
    }
    if (request.task === 'answer') this.counters.textEncoderRuns++;
    return hit;
  }

  private reply(request: GenerationRequest): string {
    if (this.options.reply) return this.options.reply(request);
    return request.task === 'caption' ? 'a stand-in caption' : 'a stand-in answer';
  }

  /** The result, with the timings this generation measured (no model parts run: vision and text encoder 0). */
  private result(
    outcome: WordsOutcome,
    plan: DecodingPlan,
    imageCacheHit: boolean,
    clock: Clock,
  ): GenerationResult {
    const text = outcome.words.join(' ');
    const cancelled = outcome.finishReason === 'cancelled';
    const confidence = cancelled ? 0 : (outcome.confidence ?? this.options.confidence ?? 0.9);
    const candidate = { text, tokenIds: outcome.tokenIds, score: Math.log(confidence || 1e-9), confidence };
    const alternatives = cancelled ? [] : Array.from({ length: plan.numReturnSequences }, () => candidate);
    const { start, tokensAt } = clock;
    const [first, last] = [tokensAt[0], tokensAt.at(-1)];
    return {
      text,
      tokenIds: outcome.tokenIds,
      alternatives,
      finishReason: outcome.finishReason,
      confidence,
      imageCacheHit,
      timings: {
        preprocessMs: clock.preprocessMs,
        visionMs: 0,
        textEncoderMs: 0,
        firstTokenMs: first === undefined ? 0 : first - start,
        perTokenMs:
          first === undefined || last === undefined || tokensAt.length < 2
            ? 0
            : (last - first) / (tokensAt.length - 1),
        totalMs: performance.now() - start,
        queueMs: clock.queueMs,
      },
    };
  }
}

/** What one stand-in generation measures as it goes (performance.now() times, ms). */
interface Clock {
  start: number;
  queueMs: number;
  preprocessMs: number;
  /** When each token event was sent. */
  tokensAt: number[];
}
