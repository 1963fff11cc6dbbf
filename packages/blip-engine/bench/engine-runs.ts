// What the benchmark measures through the engine's public API, interleaved with the bare floor replay of
// the same part calls so both see the same machine state.

import { type Blip, engineContext } from '../src/engine/blip.js';
import type { PreparedImage } from '../src/image/index.js';
import type { Timings } from '../src/types.js';
import { type FloorTimes, floorRequests, floorRun } from './floor.js';

export interface AnswerSample {
  /** First question on a new image (bytes in: preprocessing, vision, text encoder, decoder). */
  first: Timings;
  /** Second question on the same image, passed prepared (as the API does): no preprocessing, no vision. */
  followUp: Timings;
  /** The same part calls as `first`, bare. */
  floor: FloorTimes;
}

export interface CaptionSample {
  /** Mean decoder step after the first, cross-attention K/V computed once. */
  onceStepMs: number;
  /** The same with text_decoder_cross_kv run before every step. */
  recomputeStepMs: number;
}

/** One answer sample per image, each forced to exactly `newTokens` generated tokens. */
export async function measureAnswers(
  blip: Blip,
  images: { bytes: Uint8Array; prepared: PreparedImage }[],
  questions: { text: string; ids: number[] }[],
  newTokens: number,
): Promise<AnswerSample[]> {
  const ctx = engineContext(blip);
  const requests = floorRequests(ctx);
  const forced = { minNewTokens: newTokens, maxNewTokens: newTokens };
  const [q1, q2] = questions as [{ text: string; ids: number[] }, { text: string; ids: number[] }];
  const samples: AnswerSample[] = [];
  for (const [i, image] of images.entries()) {
    // Every other run measures the floor first, so neither side always inherits the other's warm caches.
    const floorFirst = i % 2 === 1;
    const early = floorFirst ? floorRun(ctx, requests, image.prepared.pixels, q1.ids, newTokens) : null;
    const first = await blip.answer(image.bytes, q1.text, forced);
    const followUp = await blip.answer(image.prepared, q2.text, forced);
    const floor = early ?? floorRun(ctx, requests, image.prepared.pixels, q1.ids, newTokens);
    if (first.tokenIds.length !== newTokens)
      throw new Error(`expected ${newTokens} tokens, got ${first.tokenIds.length}`);
    if (first.imageCacheHit || !followUp.imageCacheHit)
      throw new Error('the image cache did not behave as the benchmark assumes');
    samples.push({ first: first.timings, followUp: followUp.timings, floor });
  }
  for (const request of Object.values(requests)) request?.dispose();
  return samples;
}

/** Caption decode steps with cross K/V once vs recomputed each step, alternating so drift hits both. */
export async function measureCaptions(
  blip: Blip,
  image: PreparedImage,
  newTokens: number,
  reps: number,
): Promise<CaptionSample[]> {
  const ctx = engineContext(blip);
  const forced = { minNewTokens: newTokens, maxNewTokens: newTokens };
  await blip.caption(image, forced); // fills the image cache: both modes then skip the vision part
  const samples: CaptionSample[] = [];
  try {
    for (let i = 0; i < reps; i++) {
      ctx.recomputeCrossKvEachStep = false;
      const once = await blip.caption(image, forced);
      ctx.recomputeCrossKvEachStep = true;
      const recompute = await blip.caption(image, forced);
      if (once.tokenIds.join() !== recompute.tokenIds.join())
        throw new Error('recomputing cross K/V changed the caption');
      samples.push({ onceStepMs: once.timings.perTokenMs, recomputeStepMs: recompute.timings.perTokenMs });
    }
  } finally {
    ctx.recomputeCrossKvEachStep = false;
  }
  return samples;
}
