// Image-text calls on one loaded model: an image's feature vector (computed once per image: cached by content
// key beside its embeddings), a text's feature vector, and the matching probability of a pair. Each runs in a
// scheduler slot, so it shares the cores and the bounded line with captions and answers (OVERLOADED past it).

import { createHash } from 'node:crypto';
import type { EngineContext, ImageSource } from '../engine/context.js';
import { imageEmbeddings } from '../engine/encode-inputs.js';
import { zeroTimings } from '../engine/timings.js';
import { BlipError } from '../errors.js';
import type { Manifest } from '../model/manifest.js';
import type { ImageTextRunners } from '../runtime/compile-parts.js';
import type { Reservation } from '../scheduling/scheduler.js';
import { runImageFeature, runMatch, runTextFeature } from './features.js';

/** Per call: cancellation while waiting in line, and room held by Engine.reserve(). */
export interface ImageTextCall {
  signal?: AbortSignal | undefined;
  reservation?: Reservation | undefined;
}

/** The image's unit feature vector [D]; the vision encoder runs only when its embeddings are not cached. */
export function imageFeature(
  ctx: EngineContext,
  source: ImageSource,
  call: ImageTextCall,
): Promise<Float32Array> {
  const cached = ctx.imageFeatures.get(source.key);
  if (cached) return cached;
  const feature = inSlot(ctx, call, async (parts) => {
    // The shared image code writes its stage times into a Timings; image-text calls do not report them.
    const { embeddings } = imageEmbeddings(ctx, source, zeroTimings());
    return runImageFeature(parts.imageFeature, await embeddings);
  });
  ctx.imageFeatures.set(source.key, feature);
  feature.catch(() => ctx.imageFeatures.delete(source.key)); // a failed or cancelled run is not served again
  return feature;
}

/** A text's unit feature vector [D] from its ids ([CLS] … [SEP]). */
export function textFeature(
  ctx: EngineContext,
  ids: readonly number[],
  call: ImageTextCall,
): Promise<Float32Array> {
  return inSlot(ctx, call, (parts) => runTextFeature(parts.textFeature, ids));
}

/** P(the text describes the image), 0..1, by the matching head over the image's (cached) embeddings. */
export function matchProbability(
  ctx: EngineContext,
  source: ImageSource,
  ids: readonly number[],
  call: ImageTextCall,
): Promise<number> {
  return inSlot(ctx, call, async (parts) => {
    const { embeddings } = imageEmbeddings(ctx, source, zeroTimings());
    return runMatch(parts.match, ids, await embeddings);
  });
}

/** Hex digits of the weights digest in a feature space name. */
const SPACE_DIGEST_CHARS = 16;

/**
 * The space a model's vectors live in: `id:digest`, the digest over the sha256 of every weights file the vectors
 * depend on (vision_model, image_feature, text_feature); null for a folder without image-text parts.
 */
export function featureSpace(id: string, manifest: Manifest): string | null {
  const { parts, files } = manifest;
  if (!parts.image_feature || !parts.text_feature || !parts.vision_model) return null;
  const bins = [parts.vision_model.bin, parts.image_feature.bin, parts.text_feature.bin];
  const digest = createHash('sha256')
    .update(bins.map((bin) => files[bin]).join(','))
    .digest('hex');
  return `${id}:${digest.slice(0, SPACE_DIGEST_CHARS)}`;
}

/** Waits for a slot, runs `work` on the image-text parts, releases; failures leave as BlipErrors. */
async function inSlot<R>(
  ctx: EngineContext,
  call: ImageTextCall,
  work: (parts: ImageTextRunners) => Promise<R>,
): Promise<R> {
  const parts = ctx.parts.imageText;
  if (!parts) throw new BlipError('UNSUPPORTED_TASK', `${ctx.manifest.name} has no image-text parts`);
  const slot = await ctx.scheduler.acquire({ signal: call.signal, reservation: call.reservation });
  try {
    return await work(parts);
  } catch (error) {
    if (error instanceof BlipError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new BlipError('RUNTIME', `image-text call failed: ${reason}`, { cause: error });
  } finally {
    slot.release();
  }
}
