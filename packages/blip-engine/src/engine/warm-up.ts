// Warm-up: the first inference of each part allocates and tunes, so run each once before the first caller.
import type { PreparedImage } from '../image/index.js';
import { capabilitiesOf } from '../model/parts.js';
import type { EngineContext } from './generation.js';

/** The two calls warm-up needs (structural, so this file does not import the Blip class that calls it). */
interface Runnable {
  caption(image: PreparedImage, options: { maxNewTokens: number }): Promise<unknown>;
  answer(image: PreparedImage, question: string, options: { maxNewTokens: number }): Promise<unknown>;
  embedImage(image: PreparedImage): Promise<unknown>;
  embedText(text: string): Promise<unknown>;
  match(image: PreparedImage, text: string): Promise<unknown>;
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
  for (const task of capabilitiesOf(ctx.manifest.family, Object.keys(ctx.manifest.parts))) {
    if (task === 'caption') await blip.caption(blank, { maxNewTokens: 2 });
    if (task === 'answer') await blip.answer(blank, 'what', { maxNewTokens: 2 });
    if (task === 'embed') {
      await blip.embedImage(blank); // one after the other: warm-up holds one slot at a time (maxQueue may be 0)
      await blip.embedText('what');
    }
    if (task === 'match') await blip.match(blank, 'what');
  }
  ctx.imageCache.clear();
  ctx.imageFeatures.clear();
  for (const key of Object.keys(ctx.stats) as (keyof typeof ctx.stats)[]) ctx.stats[key] = 0;
}
