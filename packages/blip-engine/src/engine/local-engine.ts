// The in-process Engine: one Blip per model folder, one scheduler (admission is about this machine's cores,
// not about one model) and one image intake (with its decode gate) shared by all of them.
import { basename } from 'node:path';
import { BlipError } from '../errors.js';
import { Scheduler } from '../scheduling/scheduler.js';
import type { EngineStats, GenerationResult, ModelInfo, StreamEvent } from '../types.js';
import { Blip, type CheckedCall } from './blip.js';
import { loggedAddImage } from './call-log.js';
import { collect } from './calls.js';
import { checkLoadOptions } from './check-load-options.js';
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
} from './engine.js';
import { ImageIntake } from './image-intake.js';
import { DEFAULT_LOAD_OPTIONS, type LoadOptions, resolveLimits } from './load-options.js';
import { publishLimits } from './published-limits.js';
import { checkImageTextRequest, checkRequestShape, checkReserveCount, pickModel } from './request-checks.js';

/** Engine settings: the load options every model gets, the folders, and the per-call admission limit. */
export interface EngineOptions extends LoadOptions {
  /** Model folders; the first is the default model. */
  models: readonly string[];
  /** Generations one reservation (one API operation) may hold. */
  maxGenerationsPerCall?: number;
}

export const DEFAULT_MAX_GENERATIONS_PER_CALL = 1;

/** Loads every folder (one after the other: compiling uses all cores) behind one Engine. */
export async function loadEngine(options: EngineOptions): Promise<Engine> {
  checkLoadOptions(options);
  if (options.models.length === 0)
    throw new BlipError('INVALID_OPTIONS', 'no model folders given', { field: 'models' });
  const perCall = options.maxGenerationsPerCall ?? DEFAULT_MAX_GENERATIONS_PER_CALL;
  const limits = resolveLimits(options);
  const scheduler = new Scheduler(
    options.concurrency ?? DEFAULT_LOAD_OPTIONS.concurrency,
    options.maxQueue ?? DEFAULT_LOAD_OPTIONS.maxQueue,
  );
  const intake = new ImageIntake(
    limits.image,
    limits.decode,
    options.preparedCacheSize ?? DEFAULT_LOAD_OPTIONS.preparedCacheSize,
  );
  const blips: Blip[] = [];
  try {
    for (const folder of options.models) {
      const id = uniqueId(folder, blips);
      blips.push(await Blip.load(folder, options, { scheduler, intake, id }));
    }
  } catch (error) {
    await Promise.all(blips.map((b) => b.dispose()));
    throw error;
  }
  const published = publishLimits(limits, scheduler, perCall);
  return new LocalEngine(blips, scheduler, intake, published);
}

/** The manifest name, or the folder name when taken, or the name with a counter (FP16 and INT8 folders may share a name). */
function uniqueId(folder: string, loaded: Blip[]): (name: string) => string {
  return (name: string) => {
    const taken = (n: string) => loaded.some((b) => b.info.id === n);
    for (const candidate of [name, basename(folder)]) if (!taken(candidate)) return candidate;
    let i = 2;
    while (taken(`${name}-${i}`)) i++;
    return `${name}-${i}`;
  };
}

class LocalEngine implements Engine {
  constructor(
    private readonly blips: Blip[],
    private readonly scheduler: Scheduler,
    private readonly intake: ImageIntake,
    private readonly published: EngineLimits,
  ) {}

  models(): readonly ModelInfo[] {
    return this.blips.map((b) => b.info);
  }

  limits(): EngineLimits {
    return this.published;
  }

  addImage(bytes: Uint8Array, context: CallContext = {}): Promise<ImageInfo> {
    return loggedAddImage(context.logger, bytes, () =>
      this.intake.add(bytes, (this.blips[0] as Blip).imageSpec),
    );
  }

  check(request: GenerationRequest): void {
    this.checked(request);
  }

  reserve(count: number): Reservation {
    checkReserveCount(count, this.published.admission.maxGenerationsPerCall);
    return this.scheduler.reserve(count);
  }

  stream(
    request: GenerationRequest,
    context: CallContext = {},
  ): AsyncGenerator<StreamEvent, undefined, undefined> {
    const { blip, call } = this.checked(request);
    return blip.streamChecked(request.image, call, context);
  }

  async embedImage(request: EmbedImageRequest, context: CallContext = {}): Promise<FeatureVector> {
    const blip = pickModel(this.blips, request);
    checkImageTextRequest(blip.info, 'embed', { image: request.image });
    const vector = await blip.embedImage(request.image, context);
    return { model: blip.info.id, space: blip.featureSpace as string, vector };
  }

  async embedText(request: EmbedTextRequest, context: CallContext = {}): Promise<FeatureVector> {
    const blip = pickModel(this.blips, request);
    checkImageTextRequest(blip.info, 'embed', { text: request.text });
    const vector = await blip.embedText(request.text, context);
    return { model: blip.info.id, space: blip.featureSpace as string, vector };
  }

  async match(request: MatchRequest, context: CallContext = {}): Promise<MatchResult> {
    const blip = pickModel(this.blips, request);
    checkImageTextRequest(blip.info, 'match', request);
    return { model: blip.info.id, probability: await blip.match(request.image, request.text, context) };
  }

  run(request: GenerationRequest, context: CallContext = {}): Promise<GenerationResult> {
    return collect(() => this.stream(request, context), context.signal);
  }

  stats(): EngineStats {
    const total: EngineStats = {
      visionRuns: 0,
      textEncoderRuns: 0,
      decoderSteps: 0,
      imageCacheHits: 0,
      imageCacheMisses: 0,
    };
    for (const blip of this.blips) {
      const s = blip.stats();
      for (const key of Object.keys(total) as (keyof EngineStats)[]) total[key] += s[key];
    }
    return total;
  }

  queueDepth(): { running: number; waiting: number } {
    return this.scheduler.depth();
  }

  async dispose(): Promise<void> {
    await Promise.all(this.blips.map((b) => b.dispose()));
    this.intake.clear();
  }

  /** The model the request names and its checked call; every refusal is a BlipError naming the field. */
  private checked(request: GenerationRequest): { blip: Blip; call: CheckedCall } {
    const blip = pickModel(this.blips, request);
    checkRequestShape(request, blip.info);
    return { blip, call: blip.check(request) };
  }
}
