// Warm-up: the first inference of each part allocates and tunes, so run each once before the first caller.
import type { PreparedImage } from '../image/index.js';
import { capabilitiesOf } from '../model/parts.js';
import type { EngineContext } from './generation.js';

/** The two calls warm-up needs (structural, so this file does not import the Blip class that calls it). */
interface Runnable {
  caption(image: PreparedImage, options: { maxNewTokens: number }): Promise<unknown>;
  answer(image: PreparedImage, question: string, options: { maxNewTokens: number }): Promise<unknown>;
}

/** Runs every part once on a blank image (first inference allocates and tunes), then forgets it and zeroes the counters. */
export async function warmUp(blip: Runnable, ctx: EngineContext): Promise<void> {
  const size = ctx.manifest.image.size;
  const blank: PreparedImage = {
    key: 'warm-up',
    width: size,
    height: size,
    format: 'raw',
    pixels: new Float32Array(3 * size * size),
    preprocessMs: 0,
  };
  // Every task the family can do (from the parts table), so every part it has has run once.
  for (const task of capabilitiesOf(ctx.manifest.family)) {
    if (task === 'caption') await blip.caption(blank, { maxNewTokens: 2 });
    if (task === 'answer') await blip.answer(blank, 'what', { maxNewTokens: 2 });
  }
  ctx.imageCache.clear();
  for (const key of Object.keys(ctx.stats) as (keyof typeof ctx.stats)[]) ctx.stats[key] = 0;
}
