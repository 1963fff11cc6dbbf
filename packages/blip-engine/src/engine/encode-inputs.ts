// The encoder stages of one generation: image → embeddings (cached by content key, so pixels are needed only
// on a miss), then the question encoder for answers. Emits the 'image' progress event.
import { type Embeddings, followedBy, runTextEncoder, runVision } from '../embeddings/encoders.js';
import { BlipError } from '../errors.js';
import type { StreamEvent, Timings } from '../types.js';
import type { EngineContext, GenerationTask, ImageSource } from './context.js';

/**
 * Image → embeddings (cached by content key; pixels are only needed on a miss), then the question encoder. The
 * states returned are what the decoder cross-attends to: the image's for a caption; for an answer the question's,
 * followed by the image's when the manifest's `answer_memory` says so.
 */
export async function encodeInputs(
  ctx: EngineContext,
  task: GenerationTask,
  timings: Timings,
  emit: (event: StreamEvent) => void,
): Promise<{ states: Embeddings; cacheHit: boolean }> {
  const { embeddings, cacheHit } = imageEmbeddings(ctx, task.image, timings);
  emit({ type: 'image', source: cacheHit ? 'cache' : 'encoder', at: Date.now() });
  const imageEmbeds = await embeddings;
  if (!task.questionIds) return { states: imageEmbeds, cacheHit };
  if (!ctx.parts.textEncoder)
    throw new BlipError('UNSUPPORTED_TASK', 'this model has no text encoder: it cannot answer');
  const encoderStart = performance.now();
  const question = await runTextEncoder(ctx.parts.textEncoder, task.questionIds, imageEmbeds);
  ctx.stats.textEncoderRuns++;
  timings.textEncoderMs = performance.now() - encoderStart;
  const withImage = ctx.manifest.answer_memory === 'question+image';
  return { states: withImage ? followedBy(question, imageEmbeds) : question, cacheHit };
}

/** The image's embeddings from the cache by content key, or from the vision encoder (then cached). */
export function imageEmbeddings(
  ctx: EngineContext,
  source: ImageSource,
  timings: Timings,
): { embeddings: Promise<Embeddings>; cacheHit: boolean } {
  const cached = ctx.imageCache.get(source.key);
  if (cached) {
    ctx.stats.imageCacheHits++;
    return { embeddings: cached, cacheHit: true };
  }
  ctx.stats.imageCacheMisses++;
  const embeddings = encodeImage(ctx, source, timings);
  ctx.imageCache.set(source.key, embeddings);
  embeddings.catch(() => ctx.imageCache.delete(source.key)); // a failed run must not be served again
  return { embeddings, cacheHit: false };
}

/** Pixels (prepared now or earlier) → the vision encoder → image embeddings. */
async function encodeImage(ctx: EngineContext, source: ImageSource, timings: Timings): Promise<Embeddings> {
  const { image, decoded } = await source.pixels();
  const size = ctx.manifest.image.size;
  if (!(image.pixels instanceof Float32Array) || image.pixels.length !== 3 * size * size) {
    throw new BlipError(
      'INVALID_IMAGE',
      `a prepared image for this model must hold 3×${size}×${size} float32 pixels`,
    );
  }
  if (decoded) timings.preprocessMs = image.preprocessMs;
  const visionStart = performance.now();
  const embeddings = await runVision(ctx.parts.vision, image.pixels, size);
  ctx.stats.visionRuns++;
  timings.visionMs = performance.now() - visionStart;
  return embeddings;
}
