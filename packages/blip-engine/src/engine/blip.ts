// One loaded model folder: load once, then caption and answer, whole or streamed, from many callers at once.
// The Engine (local-engine.ts) holds one Blip per folder and gives them a shared scheduler and image intake;
// a Blip loaded on its own (command line, benchmarks, tests) makes its own.
import { createHash } from 'node:crypto';
import { LruCache } from '../embeddings/lru-cache.js';
import { BlipError } from '../errors.js';
import { type GenerationDefaults, resolveGenerationOptions } from '../generate/options.js';
import { StepBatch } from '../generate/step-batch.js';
import { type ImageSpec, type PreparedImage, parseImageSpec } from '../image/index.js';
import {
  type ImageTextCall,
  imageFeature,
  matchProbability,
  featureSpace as spaceOf,
  textFeature,
} from '../image-text/run.js';
import { readModelFolder } from '../model/model-folder.js';
import { hasBatchInputs } from '../model/parts.js';
import { allRunners, compileParts } from '../runtime/compile-parts.js';
import { inferenceTurns } from '../runtime/turns.js';
import { type Reservation, Scheduler } from '../scheduling/scheduler.js';
import { eventStream } from '../stream/event-stream.js';
import { loadTextCodec, type TextServices } from '../text/codec.js';
import type { CallOptions, EngineStats, GenerationOptions, GenerationResult, StreamEvent } from '../types.js';
import { collect, generationFields } from './calls.js';
import { checkLoadOptions } from './check-load-options.js';
import type { EngineLogger, ImageRef } from './engine.js';
import { type EngineContext, type GenerationTask, generate, type ImageSource } from './generation.js';
import { ImageIntake } from './image-intake.js';
import {
  compileProperties,
  DEFAULT_LOAD_OPTIONS,
  type LoadOptions,
  resolveLimits,
  serialInference,
} from './load-options.js';
import { type BlipInfo, describeModel } from './model-info.js';
import { warmUp } from './warm-up.js';

/** A caption or answer call's options. */
export type CaptionOptions = GenerationOptions & CallOptions & { prompt?: string };
export type AnswerOptions = GenerationOptions & CallOptions;
/** Bytes, pixels prepared earlier, or a reference the engine's intake can (re)read. */
export type ImageInput = Uint8Array | PreparedImage | ImageRef;

/** What an Engine shares among its models; a Blip loaded alone makes its own. */
export interface SharedServices {
  scheduler: Scheduler;
  intake: ImageIntake;
  /** The unique id the engine gives this model, from its manifest name. */
  id?: (manifestName: string) => string;
}

/** A checked call, ready to run: the output of check(), the input of run. */
export interface CheckedCall {
  questionIds: number[] | null;
  promptIds: number[];
  plan: GenerationTask['plan'];
}

/** Each Blip's internals, for the benchmark (not exported from the package). */
const contexts = new WeakMap<Blip, EngineContext>();

/** The engine context of a loaded model: its compiled parts, counters and settings (benchmark and tests only). */
export function engineContext(blip: Blip): EngineContext {
  return contexts.get(blip) as EngineContext;
}

/** A loaded BLIP model: caption(), answer() and their streaming forms. */
export class Blip {
  readonly info: BlipInfo;
  /** Where this model's feature vectors live (see FeatureVector.space); null without image-text parts. */
  readonly featureSpace: string | null;
  private disposed = false;

  private constructor(
    private readonly ctx: EngineContext,
    private readonly textServices: TextServices,
    private readonly intake: ImageIntake,
    readonly imageSpec: ImageSpec,
    id: ((manifestName: string) => string) | undefined,
  ) {
    contexts.set(this, ctx);
    this.info = describeModel(ctx, id?.(ctx.manifest.name));
    this.featureSpace = spaceOf(this.info.id, ctx.manifest);
  }

  /** Checks the manifest and hashes, compiles each part once with the load options, warms up. */
  static async load(folder: string, options: LoadOptions = {}, shared?: SharedServices): Promise<Blip> {
    checkLoadOptions(options);
    const model = await readModelFolder(folder, { verifyHashes: options.verifyHashes });
    const limits = resolveLimits(options);
    const imageSpec = parseImageSpec(model.manifest.image);
    const textServices = await loadTextCodec(model.folder, model.manifest, limits.text);
    const concurrency = options.concurrency ?? DEFAULT_LOAD_OPTIONS.concurrency;
    const weights = model.parts.map((part) => part.precision);
    const batching = options.batching ?? DEFAULT_LOAD_OPTIONS.batching;
    const target = {
      device: options.device ?? 'CPU',
      properties: compileProperties(options, weights),
    };
    const turns = serialInference(options) ? inferenceTurns : null;
    const parts = await compileParts(model, target, concurrency, turns);
    const decoderInputs = parts.decoder.compiled.inputs;
    const batchInputs = hasBatchInputs(decoderInputs);
    const { layers, heads, head_size: headSize } = model.manifest.decoder;
    const ctx: EngineContext = {
      folder: model.folder,
      manifest: model.manifest,
      parts,
      decoderInputs,
      batchInputs,
      batch:
        batching && batchInputs
          ? new StepBatch(parts.decoder, { decoderInputs, layers, heads, headSize })
          : null,
      text: textServices.codec,
      imageCache: new LruCache(options.imageCacheSize ?? 32),
      imageFeatures: new LruCache(options.imageCacheSize ?? 32),
      scheduler: shared?.scheduler ?? new Scheduler(concurrency, options.maxQueue ?? 16),
      stats: { visionRuns: 0, textEncoderRuns: 0, decoderSteps: 0, imageCacheHits: 0, imageCacheMisses: 0 },
    };
    const intake =
      shared?.intake ?? new ImageIntake(limits.image, limits.decode, options.preparedCacheSize ?? 16);
    const blip = new Blip(ctx, textServices, intake, imageSpec, shared?.id);
    await warmUp(blip, ctx);
    return blip;
  }

  /** Counters since load (warm-up excluded); they only grow. */
  stats(): EngineStats {
    return { ...this.ctx.stats };
  }

  /** Decodes, checks, resizes and normalises an image once, for several calls. INVALID_IMAGE / IMAGE_TOO_LARGE. */
  prepareImage(bytes: Uint8Array): Promise<PreparedImage> {
    return this.intake.prepare(bytes, this.imageSpec);
  }

  /** A caption (VQA model: decoder on the image embeddings; caption model: optional prompt, default from the manifest). */
  caption(image: ImageInput, options: CaptionOptions = {}): Promise<GenerationResult> {
    return collect(() => this.captionStream(image, options), options.signal);
  }

  /** An answer to `question` about `image`. */
  answer(image: ImageInput, question: string, options: AnswerOptions = {}): Promise<GenerationResult> {
    return collect(() => this.answerStream(image, question, options), options.signal);
  }

  /** Progress and token events, then one done event. Waits in the bounded queue before the image is read. */
  captionStream(
    image: ImageInput,
    options: CaptionOptions = {},
  ): AsyncGenerator<StreamEvent, undefined, undefined> {
    const call = this.check({ task: 'caption', prompt: options.prompt, options: generationFields(options) });
    return this.streamChecked(image, call, options);
  }

  /** Progress and token events of the answer, then one done event. UNSUPPORTED_TASK on a captioning model. */
  answerStream(
    image: ImageInput,
    question: string,
    options: AnswerOptions = {},
  ): AsyncGenerator<StreamEvent, undefined, undefined> {
    const call = this.check({ task: 'answer', question, options: generationFields(options) });
    return this.streamChecked(image, call, options);
  }

  /** Validates task, question or prompt and options now, without running or queueing: a bad call fails here. */
  check(request: {
    task: 'caption' | 'answer';
    question?: string | undefined;
    prompt?: string | undefined;
    options?: GenerationOptions | undefined;
  }): CheckedCall {
    if (this.disposed) throw new BlipError('RUNTIME', 'this model was disposed');
    const { manifest } = this.ctx;
    const start = manifest.tokens.decoder_start;
    let questionIds: number[] | null = null;
    let promptIds = [start];
    if (request.task === 'answer') {
      if (manifest.family !== 'blip-vqa') {
        throw new BlipError(
          'UNSUPPORTED_TASK',
          `${this.info.name} is a captioning model (${this.info.family}); it cannot answer questions`,
          { field: 'model' },
        );
      }
      questionIds = this.textServices.encodeQuestion(request.question as string);
    } else {
      const prompt = request.prompt ?? (manifest.family === 'blip-caption' ? manifest.caption_prompt : null);
      if (prompt) promptIds = this.textServices.encodePrompt(prompt);
    }
    const plan = resolveGenerationOptions(
      generationFields(request.options ?? {}),
      manifest.generation as GenerationDefaults,
      { promptLength: promptIds.length, maxPositions: manifest.decoder.max_positions },
    );
    return { questionIds, promptIds, plan };
  }

  /** The lazy event stream of a checked call; it starts (and queues) on the first next(). */
  streamChecked(
    image: ImageInput,
    call: CheckedCall,
    options: CallOptions & { reservation?: Reservation | undefined; logger?: EngineLogger | undefined } = {},
  ): AsyncGenerator<StreamEvent, undefined, undefined> {
    if (this.disposed) throw new BlipError('RUNTIME', 'this model was disposed');
    const task: GenerationTask = { image: this.source(image), ...call };
    if (options.signal) task.signal = options.signal;
    if (options.reservation) task.reservation = options.reservation;
    if (options.logger) task.logger = options.logger;
    return eventStream<StreamEvent>((emit, signal) => generate(this.ctx, task, emit, signal));
  }

  /** The image's unit feature vector (image-text models; computed once per image, then cached). */
  embedImage(image: ImageInput, call: ImageTextCall = {}): Promise<Float32Array> {
    this.checkCan('embed');
    return imageFeature(this.ctx, this.source(image), call);
  }

  /** A text's unit feature vector; the text is checked as a question is (INVALID_QUESTION). */
  embedText(text: string, call: ImageTextCall = {}): Promise<Float32Array> {
    this.checkCan('embed');
    return textFeature(this.ctx, this.textServices.encodeQuestion(text), call);
  }

  /** P(the text describes the image), 0..1, by the image-text matching head. */
  match(image: ImageInput, text: string, call: ImageTextCall = {}): Promise<number> {
    this.checkCan('match');
    return matchProbability(this.ctx, this.source(image), this.textServices.encodeQuestion(text), call);
  }

  /** UNSUPPORTED_TASK unless this folder's parts can do `task`. */
  private checkCan(task: 'embed' | 'match'): void {
    if (this.disposed) throw new BlipError('RUNTIME', 'this model was disposed');
    if (!this.info.capabilities.includes(task)) {
      throw new BlipError('UNSUPPORTED_TASK', `${this.info.id} has no image-text parts: it cannot ${task}`, {
        field: 'model',
      });
    }
  }

  /** Generations running and waiting now (in the scheduler this model uses). */
  queueDepth(): { running: number; waiting: number } {
    return this.ctx.scheduler.depth();
  }

  /** Refuses waiting calls, frees the compiled parts once running calls are done with them. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.ctx.scheduler.rejectWaiting(new BlipError('CANCELLED', 'the model was disposed'));
    for (const part of allRunners(this.ctx.parts)) part.dispose();
    this.ctx.imageCache.clear();
    this.ctx.imageFeatures.clear();
  }

  /** Any image input as a content key plus pixels on demand (through the intake and its decode gate). */
  private source(image: ImageInput): ImageSource {
    if (image instanceof Uint8Array) {
      // Bytes with every call: decoded for this call (on an embedding-cache miss), never kept as pixels.
      const key = createHash('sha256').update(image).digest('hex');
      return {
        key,
        pixels: async () => ({ image: await this.intake.prepare(image, this.imageSpec), decoded: true }),
      };
    }
    if ('pixels' in image) return { key: image.key, pixels: async () => ({ image, decoded: false }) };
    return { key: image.key, pixels: () => this.intake.pixels(image, this.imageSpec) };
  }
}
