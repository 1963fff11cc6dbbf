// One caption or answer from start to finish, as a producer of stream events: wait for a slot (queued), encode
// the image or reuse its cached embeddings (image), encode the question, compute cross-attention K/V once
// (answering), run the decoding loop, stream the tokens, and finish with one done event. Timings are taken at
// the stage edges; progress events carry wall-clock timestamps for clients.

import { type Embeddings, runCrossKv } from '../embeddings/encoders.js';
import { BeamSearch } from '../generate/beam-search.js';
import { type DecodeOutcome, decode } from '../generate/decode-loop.js';
import { decoderStep, type StepHooks } from '../generate/decoder-step.js';
import { SingleSearch } from '../generate/single-search.js';
import type { InferRequest } from '../openvino/index.js';
import { type TokenEmitter, tokenEmitter } from '../stream/token-emitter.js';
import type { Candidate, GenerationResult, StreamEvent, Timings } from '../types.js';
import { generationLog } from './call-log.js';
import type { EngineContext, GenerationTask } from './context.js';
import { encodeInputs } from './encode-inputs.js';
import { zeroTimings } from './timings.js';

export type { EngineContext, GenerationTask, ImageSource } from './context.js';

/** Runs `task`, emitting token events and a final done event; a cancelled run ends with finishReason 'cancelled'. */
export async function generate(
  ctx: EngineContext,
  task: GenerationTask,
  emit: (event: StreamEvent) => void,
  streamSignal: AbortSignal,
): Promise<void> {
  const start = performance.now();
  const signal = task.signal ? AbortSignal.any([streamSignal, task.signal]) : streamSignal;
  const log = generationLog(task.logger, ctx.manifest.name, task.questionIds ? 'answer' : 'caption');
  const slot = await ctx.scheduler.acquire({
    signal,
    reservation: task.reservation,
    onPosition: (position) => emit({ type: 'queued', position, at: Date.now() }),
  });
  log.started(slot.queueMs, task.plan.strategy);
  try {
    log.done(await run(ctx, task, emit, signal, start, slot.queueMs));
  } catch (error) {
    throw log.failed(error);
  } finally {
    slot.release();
  }
}

/** The stages of one call, in order; `start` is when the call began (queue wait included in the timings). */
async function run(
  ctx: EngineContext,
  task: GenerationTask,
  emit: (event: StreamEvent) => void,
  signal: AbortSignal,
  start: number,
  queueMs: number,
): Promise<GenerationResult> {
  const timings: Timings = { ...zeroTimings(), queueMs };
  const { states, cacheHit } = await encodeInputs(ctx, task, timings, emit);
  emit({ type: 'answering', at: Date.now() });
  const tokens = tokenEmitter(ctx.text, ctx.manifest.tokens.eos, task.promptIds, emit, () => {
    timings.firstTokenMs ||= performance.now() - start;
  });
  const outcome = await runDecoder(ctx, task, states, signal, tokens.onTokens);
  const result = finish(ctx, task, outcome, tokens, timings, cacheHit);
  timings.perTokenMs = mean(outcome.stepMs.slice(1));
  timings.totalMs = performance.now() - start;
  emit({ type: 'done', result });
  return result;
}

/** Cross-attention K/V once for all steps, then the decoding loop with the strategy the plan names. */
async function runDecoder(
  ctx: EngineContext,
  task: GenerationTask,
  states: Embeddings,
  signal: AbortSignal,
  onTokens: (ids: number[], last: boolean) => void,
): Promise<DecodeOutcome> {
  const { manifest, parts } = ctx;
  const { layers, heads, head_size: headSize } = manifest.decoder;
  const eos = manifest.tokens.eos;
  const search =
    task.plan.strategy === 'beam'
      ? new BeamSearch(task.plan, task.promptIds, eos)
      : new SingleSearch(task.plan, task.promptIds, eos);
  const onStep = () => ctx.stats.decoderSteps++;
  if (ctx.batch && !ctx.recomputeCrossKvEachStep) {
    // Batched: the cross K/V once per generation (the batch repeats them to its rows), steps shared with others.
    const member = ctx.batch.join(await runCrossKv(parts.crossKv, states, layers, 1), search.rows, onStep);
    try {
      return await decode(member.step, search, task.promptIds, { signal, onTokens });
    } finally {
      member.leave();
    }
  }
  const crossKv = await runCrossKv(parts.crossKv, states, layers, search.rows);
  const hooks: StepHooks = { onStep };
  if (ctx.recomputeCrossKvEachStep)
    hooks.refreshCrossKv = () => runCrossKv(parts.crossKv, states, layers, search.rows);
  const setup = { decoderInputs: ctx.decoderInputs, heads, headSize, batchInputs: ctx.batchInputs };
  // Alone: the decoder step alternates between two requests held for the whole generation (decoder-step.ts).
  return parts.decoder.hold(2, (requests) => {
    const step = decoderStep(parts.decoder, requests as [InferRequest, InferRequest], crossKv, setup, hooks);
    return decode(step, search, task.promptIds, { signal, onTokens });
  });
}

/** The result: beams are streamed now that the best is known; the text equals the concatenated deltas. */
function finish(
  ctx: EngineContext,
  task: GenerationTask,
  outcome: DecodeOutcome,
  tokens: TokenEmitter,
  timings: Timings,
  cacheHit: boolean,
): GenerationResult {
  const best = outcome.hypotheses[0];
  if (best && task.plan.strategy === 'beam') tokens.onTokens(best.tokenIds, true);
  tokens.flush();
  const streamed = tokens.streamed();
  const prompt = task.promptIds.slice(1);
  const alternatives: Candidate[] = outcome.hypotheses.slice(0, task.plan.numReturnSequences).map((h) => ({
    text: ctx.text.decode([...prompt, ...h.tokenIds]),
    tokenIds: h.tokenIds,
    score: h.score,
    confidence: h.confidence,
  }));
  return {
    text: streamed.text,
    tokenIds: outcome.cancelled ? streamed.ids : (best?.tokenIds ?? []),
    alternatives,
    finishReason: outcome.cancelled ? 'cancelled' : (best?.finishReason ?? 'length'),
    confidence: outcome.cancelled ? 0 : (best?.confidence ?? 0),
    imageCacheHit: cacheHit,
    timings,
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
