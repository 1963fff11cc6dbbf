// Benchmark samples → one markdown table with medians and ratios, and the BENCHMARKS.md "Engine" section.

import { median, ms } from '@blip/testing/bench';
import type { AnswerSample, CaptionSample } from './engine-runs.js';

export interface BenchContext {
  command: string;
  model: string;
  precision: string;
  /** INFERENCE_PRECISION_HINT the engine compiled with (its default for this folder). */
  runsAt: string;
  newTokens: number;
  reps: number;
  machine: string;
}

/** The summary figures (medians over samples), also written as JSON. */
export function summarize(answers: AnswerSample[], captions: CaptionSample[], newTokens: number) {
  const m = (pick: (s: AnswerSample) => number) => median(answers.map(pick));
  const compute = (s: AnswerSample) => s.first.totalMs - s.first.preprocessMs - s.first.queueMs;
  const engineCompute = m(compute);
  const floorTotal = m((s) => s.floor.total);
  const once = median(captions.map((c) => c.onceStepMs));
  const recompute = median(captions.map((c) => c.recomputeStepMs));
  return {
    preprocessMs: m((s) => s.first.preprocessMs),
    visionMs: m((s) => s.first.visionMs),
    floorVisionMs: m((s) => s.floor.vision),
    textEncoderMs: m((s) => s.first.textEncoderMs),
    floorTextEncoderMs: m((s) => s.floor.textEncoder),
    floorCrossKvMs: m((s) => s.floor.crossKv),
    firstTokenMs: m((s) => s.first.firstTokenMs),
    floorFirstTokenMs: m((s) => s.floor.vision + s.floor.textEncoder + s.floor.crossKv + s.floor.prefill),
    perTokenMs: m((s) => s.first.perTokenMs),
    floorPerTokenMs: m((s) => s.floor.decode / Math.max(1, newTokens - 1)),
    totalMs: m((s) => s.first.totalMs),
    engineComputeMs: engineCompute,
    floorTotalMs: floorTotal,
    overFloor: engineCompute / floorTotal,
    /** Median of each run's own ratio: robust to the machine getting slower or faster between runs. */
    overFloorPaired: m((s) => compute(s) / s.floor.total),
    tokensPerSecond: (newTokens / m((s) => s.first.totalMs)) * 1000,
    decodeTokensPerSecond: 1000 / m((s) => s.first.perTokenMs),
    followUpMs: m((s) => s.followUp.totalMs),
    followUpSpeedup: m((s) => s.first.totalMs) / m((s) => s.followUp.totalMs),
    captionStepOnceMs: once,
    captionStepRecomputeMs: recompute,
    crossKvOnceSpeedup: recompute / once,
  };
}

export type Summary = ReturnType<typeof summarize>;

/** The markdown section. */
export function renderSection(s: Summary, ctx: BenchContext): string {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    '## Engine',
    '',
    `Command: \`${ctx.command}\` — model \`${ctx.model}\` (${ctx.precision} weights, run at ${ctx.runsAt}: the engine's default for this folder), ` +
      `answers forced to exactly ${ctx.newTokens} new tokens (min = max), greedy; medians of ${ctx.reps} runs, all figures ` +
      `from one run on ${ctx.machine}. Floor = the same part calls run bare (one infer request per part, synchronous ` +
      '`infer()`, tensors prepared and bound beforehand), summing only the `infer()` times.',
    '',
    row(['stage (answer, new image)', 'engine ms', 'floor ms']),
    row(['---', '---:', '---:']),
    row(['preprocess (decode + resize + normalise)', ms(s.preprocessMs), '–']),
    row(['vision encoder', ms(s.visionMs), ms(s.floorVisionMs)]),
    row(['text encoder', ms(s.textEncoderMs), ms(s.floorTextEncoderMs)]),
    row(['cross-attention K/V (once)', 'in first token', ms(s.floorCrossKvMs)]),
    row([
      'time to first token (from the call, incl. preprocess)',
      ms(s.firstTokenMs),
      ms(s.floorFirstTokenMs),
    ]),
    row(['per decoder step after the first', ms(s.perTokenMs), ms(s.floorPerTokenMs)]),
    row(['whole answer', ms(s.totalMs), '–']),
    row(['whole answer without preprocess', ms(s.engineComputeMs), ms(s.floorTotalMs)]),
    '',
    `- **Engine over the floor: ${s.overFloorPaired.toFixed(3)}×** (median of each run's whole answer without ` +
      `preprocessing over its own floor; ratio of the medians ${s.overFloor.toFixed(3)}×; goal ≤ 1.05×).`,
    `- Tokens/s: ${s.tokensPerSecond.toFixed(1)} over the whole answer, ${s.decodeTokensPerSecond.toFixed(1)} in the decode phase.`,
    `- Follow-up question on the same image (prepared image, embeddings cached): ${ms(s.followUpMs)} ms vs ${ms(s.totalMs)} ms ` +
      `for the first question: **${s.followUpSpeedup.toFixed(2)}× faster**.`,
    `- Caption (decoder on the ${''}image embeddings), mean decoder step: cross K/V computed once ${ms(s.captionStepOnceMs)} ms, ` +
      `recomputed every step ${ms(s.captionStepRecomputeMs)} ms: **${s.crossKvOnceSpeedup.toFixed(2)}× faster** (goal ≥ 2×).`,
    '',
  ].join('\n');
}
