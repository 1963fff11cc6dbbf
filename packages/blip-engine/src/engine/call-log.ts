// The engine's log lines about a call, in one place so that every Engine (the real one, and the stand-in the
// API's tests run on) writes the same lines: 'image added' / 'image refused', 'generation started' / 'done' /
// 'failed'. No question, answer or image bytes: they may be private.
import { BlipError } from '../errors.js';
import type { GenerationResult } from '../types.js';
import type { EngineLogger, ImageInfo } from './engine.js';

/** Every error leaving the engine is a BlipError; anything else (an OpenVINO failure) becomes RUNTIME. */
export function asBlipError(error: unknown): BlipError {
  if (error instanceof BlipError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BlipError('RUNTIME', `generation failed: ${message}`, { cause: error });
}

/** Runs an image intake, logging what it added (debug) or why it refused (info). */
export async function loggedAddImage(
  logger: EngineLogger | undefined,
  bytes: Uint8Array,
  add: () => Promise<ImageInfo>,
): Promise<ImageInfo> {
  const start = performance.now();
  try {
    const info = await add();
    const { key, format, width, height, byteSize } = info;
    const ms = Math.round(performance.now() - start);
    logger?.debug({ key, format, width, height, byteSize, ms }, 'image added');
    return info;
  } catch (error) {
    const code = error instanceof BlipError ? error.code : 'RUNTIME';
    logger?.info({ code, byteSize: bytes?.length, err: (error as Error).message }, 'image refused');
    throw error;
  }
}

/** The lines of one generation, on a child of the call's logger that names the model and the task. */
export function generationLog(logger: EngineLogger | undefined, model: string, task: 'answer' | 'caption') {
  const log = logger?.child({ model, task });
  return {
    started(queueMs: number, strategy: string): void {
      log?.debug({ queueMs: Math.round(queueMs), strategy }, 'generation started');
    },
    done(result: GenerationResult): void {
      log?.info(summary(result), 'generation done');
    },
    /** Logs the failure and returns it as the BlipError to throw. */
    failed(error: unknown): BlipError {
      const failure = asBlipError(error);
      log?.warn({ code: failure.code, err: failure.message }, 'generation failed');
      return failure;
    },
  };
}

/** The fields of a line about a finished generation (no text). */
function summary(result: GenerationResult): Record<string, unknown> {
  const { timings } = result;
  return {
    finishReason: result.finishReason,
    tokens: result.tokenIds.length,
    confidence: Number(result.confidence.toFixed(3)),
    imageCacheHit: result.imageCacheHit,
    firstTokenMs: Math.round(timings.firstTokenMs),
    totalMs: Math.round(timings.totalMs),
  };
}
