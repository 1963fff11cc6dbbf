// The limits an engine publishes, built one way for the real engine and the stand-in.
import { GENERATION_OPTIONS } from '../generate/option-table.js';
import { ACCEPTED_FORMATS } from '../image/index.js';
import type { Scheduler } from '../scheduling/scheduler.js';
import type { EngineLimits } from './engine.js';
import type { resolveLimits } from './load-options.js';

/** EngineLimits from the resolved limits, the scheduler's admission settings and the per-call limit. */
export function publishLimits(
  limits: ReturnType<typeof resolveLimits>,
  scheduler: Scheduler,
  maxGenerationsPerCall: number,
): EngineLimits {
  return {
    options: GENERATION_OPTIONS,
    question: limits.text,
    image: { ...limits.image, acceptedFormats: ACCEPTED_FORMATS },
    decode: limits.decode,
    admission: { concurrency: scheduler.concurrency, maxQueue: scheduler.maxQueue, maxGenerationsPerCall },
  };
}
