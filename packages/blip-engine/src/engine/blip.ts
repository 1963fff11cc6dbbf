// The engine's public class: load a model folder once, then caption and answer, whole or streamed, from many
// callers at once. See /work/briefs/engine-api.md for the contract the API and the command line rely on.

import { LruCache } from '../embeddings/lru-cache.js';
import { BlipError } from '../errors.js';
import { type GenerationDefaults, resolveGenerationOptions } from '../generate/options.js';
import { type PreparedImage, parseImageSpec, prepareImage } from '../image/index.js';
import { readModelFolder } from '../model/model-folder.js';
import { compileParts } from '../runtime/compile-parts.js';
import { Scheduler } from '../scheduling/scheduler.js';
import { eventStream } from '../stream/event-stream.js';
import { loadTextCodec, type TextServices } from '../text/codec.js';
import type {
  CallOptions,
  EngineStats,
  GenerationOptions,
  GenerationResult,
  ModelInfo,
  PartPrecision,
  StreamEvent,
} from '../types.js';
import { checkLoadOptions } from './check-load-options.js';
import { type EngineContext, type GenerationTask, generate } from './generation.js';
import { compileProperties, type LoadOptions, resolveLimits } from './load-options.js';
import { warmUp } from './warm-up.js';

/** A caption or answer call's options. */
export type CaptionOptions = GenerationOptions & CallOptions & { prompt?: string };
export type AnswerOptions = GenerationOptions & CallOptions;
type ImageInput = Uint8Array | PreparedImage;

/** Each Blip's internals, for the benchmark (not exported from the package). */
const contexts = new WeakMap<Blip, EngineContext>();

/** The engine context of a loaded model: its compiled parts, counters and settings (benchmark and tests only). */
export function engineContext(blip: Blip): EngineContext {
  return contexts.get(blip) as EngineContext;
}

/** A loaded BLIP model: caption(), answer() and their streaming forms. */
export class Blip {
  readonly info: ModelInfo;
  private disposed = false;

  private constructor(
    private readonly ctx: EngineContext,
    private readonly textServices: TextServices,
  ) {
    contexts.set(this, ctx);
    const { manifest } = ctx;
    this.info = {
      name: manifest.name,
      family: manifest.family,
      folder: ctx.folder,
      source: manifest.source,
      precision: Object.fromEntries(
        Object.entries(manifest.parts).map(([part, files]) => [part, files?.precision]),
      ) as Record<string, PartPrecision>,
      imageSize: manifest.image.size,
      captionPrompt: manifest.caption_prompt,
    };
  }

  /** Checks the manifest and hashes, compiles each part once with the load options, warms up. */
  static async load(folder: string, options: LoadOptions = {}): Promise<Blip> {
    checkLoadOptions(options);
    const model = await readModelFolder(folder, { verifyHashes: options.verifyHashes });
    const limits = resolveLimits(options);
    const imageSpec = parseImageSpec(model.manifest.image);
    const textServices = await loadTextCodec(model.folder, model.manifest, limits.text);
    const concurrency = options.concurrency ?? 1;
    const target = { device: options.device ?? 'CPU', properties: compileProperties(options) };
    const parts = await compileParts(model, target, concurrency);
    const ctx: EngineContext = {
      folder: model.folder,
      manifest: model.manifest,
      parts,
      decoderInputs: parts.decoder.compiled.inputs,
      text: textServices.codec,
      prepare: (bytes) => prepareImage(bytes, imageSpec, limits.image),
      imageCache: new LruCache(options.imageCacheSize ?? 32),
      scheduler: new Scheduler(concurrency, options.maxQueue ?? 16),
      stats: { visionRuns: 0, textEncoderRuns: 0, decoderSteps: 0, imageCacheHits: 0, imageCacheMisses: 0 },
    };
    const blip = new Blip(ctx, textServices);
    await warmUp(blip, ctx);
    return blip;
  }

  /** Counters since load (warm-up excluded); they only grow. */
  stats(): EngineStats {
    return { ...this.ctx.stats };
  }

  /** Decodes, checks, resizes and normalises an image once, for several calls. INVALID_IMAGE / IMAGE_TOO_LARGE. */
  prepareImage(bytes: Uint8Array): Promise<PreparedImage> {
    return this.ctx.prepare(bytes);
  }

  /** A caption (VQA model: decoder on the image embeddings; caption model: optional prompt, default from the manifest). */
  caption(image: ImageInput, options: CaptionOptions = {}): Promise<GenerationResult> {
    return collect(() => this.captionStream(image, options), options.signal);
  }

  /** An answer to `question` about `image`. */
  answer(image: ImageInput, question: string, options: AnswerOptions = {}): Promise<GenerationResult> {
    return collect(() => this.answerStream(image, question, options), options.signal);
  }

  /** Token events, then one done event. Waits in the bounded queue before the first event. */
  captionStream(
    image: ImageInput,
    options: CaptionOptions = {},
  ): AsyncGenerator<StreamEvent, undefined, undefined> {
    const { manifest } = this.ctx;
    const prompt = options.prompt ?? (manifest.family === 'blip-caption' ? manifest.caption_prompt : null);
    const promptIds = prompt ? this.textServices.encodePrompt(prompt) : [manifest.tokens.decoder_start];
    return this.stream({ image, questionIds: null, promptIds, options });
  }

  /** Token events of the answer, then one done event. UNSUPPORTED_TASK on a captioning model. */
  answerStream(
    image: ImageInput,
    question: string,
    options: AnswerOptions = {},
  ): AsyncGenerator<StreamEvent, undefined, undefined> {
    if (this.ctx.manifest.family !== 'blip-vqa') {
      throw new BlipError(
        'UNSUPPORTED_TASK',
        `${this.info.name} is a captioning model (${this.info.family}); it cannot answer questions`,
      );
    }
    const questionIds = this.textServices.encodeQuestion(question);
    return this.stream({ image, questionIds, promptIds: [this.ctx.manifest.tokens.decoder_start], options });
  }

  /** Generations running and waiting now. */
  queueDepth(): { running: number; waiting: number } {
    return this.ctx.scheduler.depth();
  }

  /** Refuses waiting calls, frees the compiled parts once running calls are done with them. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.ctx.scheduler.rejectWaiting(new BlipError('CANCELLED', 'the model was disposed'));
    for (const part of Object.values(this.ctx.parts)) part?.dispose();
    this.ctx.imageCache.clear();
  }

  /** Validates the options now (so bad input fails before any work) and returns the lazy event stream. */
  private stream(call: {
    image: ImageInput;
    questionIds: number[] | null;
    promptIds: number[];
    options: GenerationOptions & CallOptions;
  }): AsyncGenerator<StreamEvent, undefined, undefined> {
    if (this.disposed) throw new BlipError('RUNTIME', 'this model was disposed');
    const { manifest } = this.ctx;
    const plan = resolveGenerationOptions(
      generationFields(call.options),
      manifest.generation as GenerationDefaults,
      {
        promptLength: call.promptIds.length,
        maxPositions: manifest.decoder.max_positions,
      },
    );
    const task: GenerationTask = {
      image: call.image,
      questionIds: call.questionIds,
      promptIds: call.promptIds,
      plan,
    };
    if (call.options.signal) task.signal = call.options.signal;
    return eventStream<StreamEvent>((emit, signal) => generate(this.ctx, task, emit, signal));
  }
}

const GENERATION_FIELDS = [
  'strategy',
  'numBeams',
  'numReturnSequences',
  'lengthPenalty',
  'temperature',
  'topK',
  'topP',
  'seed',
  'repetitionPenalty',
  'minNewTokens',
  'maxNewTokens',
] as const;

/** Only the generation settings (null from GraphQL counts as not given). */
function generationFields(options: GenerationOptions): GenerationOptions {
  const picked: Record<string, unknown> = {};
  for (const field of GENERATION_FIELDS) {
    const value = options[field];
    if (value !== undefined && value !== null) picked[field] = value;
  }
  return picked as GenerationOptions;
}

/** Runs a stream to its done event; an aborted signal rejects with CANCELLED. */
async function collect(
  open: () => AsyncGenerator<StreamEvent, undefined, undefined>,
  signal: AbortSignal | undefined,
): Promise<GenerationResult> {
  if (signal?.aborted) throw new BlipError('CANCELLED', 'the call was cancelled before it started');
  for await (const event of open()) {
    if (event.type !== 'done') continue;
    if (event.result.finishReason === 'cancelled') throw new BlipError('CANCELLED', 'the call was cancelled');
    return event.result;
  }
  throw new BlipError('CANCELLED', 'the call was cancelled');
}
