// The contenders' reports → medians, p95s, ratios against the goals, and the BENCHMARKS.md section.

import { median, ms, percentile } from '@blip/testing/bench';
import type { Timings } from '../src/types.js';
import type { EngineReport } from './contender-engine.js';
import type { FloorTimes } from './floor.js';

/** A Python contender's report (models/bench/contender_common.py writes it). */
export interface PythonReport {
  contender: 'reference' | 'pytorch';
  settings: Record<string, unknown>;
  versions: Record<string, string>;
  peakRssKiB: number;
  samples: (Timings & { tokenIds: number[] })[];
  visionRelErrorVsIR?: number;
}

/** One contender's row of figures, ms unless named otherwise. */
export interface Row {
  preprocess: number | null;
  vision: number;
  textEncoder: number;
  firstToken: number;
  perToken: number;
  tokensPerSecond: number;
  p50: number;
  p95: number;
  peakRssMiB: number | null;
}

/** Medians and percentiles of answers timed by a contender. */
export function rowOf(samples: Timings[], peakRssKiB: number | null): Row {
  const m = (pick: (t: Timings) => number) => median(samples.map(pick));
  const totals = samples.map((t) => t.totalMs);
  return {
    preprocess: m((t) => t.preprocessMs),
    vision: m((t) => t.visionMs),
    textEncoder: m((t) => t.textEncoderMs),
    firstToken: m((t) => t.firstTokenMs),
    perToken: m((t) => t.perTokenMs),
    tokensPerSecond: 1000 / m((t) => t.perTokenMs),
    p50: median(totals),
    p95: percentile(totals, 95),
    peakRssMiB: peakRssKiB === null ? null : peakRssKiB / 1024,
  };
}

/** The floor's row: bare infer() times of the same part calls (no preprocessing, no generation logic). */
export function floorRow(floors: FloorTimes[], tokens: number): Row {
  const m = (pick: (f: FloorTimes) => number) => median(floors.map(pick));
  const perToken = m((f) => f.decode / Math.max(1, tokens - 1));
  return {
    preprocess: null,
    vision: m((f) => f.vision),
    textEncoder: m((f) => f.textEncoder),
    firstToken: m((f) => f.vision + f.textEncoder + f.crossKv + f.prefill),
    perToken,
    tokensPerSecond: 1000 / perToken,
    p50: m((f) => f.total),
    p95: percentile(
      floors.map((f) => f.total),
      95,
    ),
    peakRssMiB: null,
  };
}

/** Median of per-image ratios a[i].totalMs / b[i].totalMs. */
function paired(a: Timings[], b: Timings[]): number {
  return median(a.slice(0, b.length).map((t, i) => t.totalMs / (b[i]?.totalMs ?? Number.NaN)));
}

/** Every figure of one comparison run. */
export function summarizeContenders(engine: EngineReport, reference: PythonReport, pytorch: PythonReport) {
  const rows = {
    engine: rowOf(engine.samples, engine.peakRssKiB),
    reference: rowOf(reference.samples, reference.peakRssKiB),
    pytorch: rowOf(pytorch.samples, pytorch.peakRssKiB),
    floor: floorRow(engine.floors, engine.tokens),
  };
  const compute = (t: Timings) => t.totalMs - t.preprocessMs - t.queueMs;
  const overFloor = median(
    engine.samples.map((t, i) => compute(t) / (engine.floors[i]?.total ?? Number.NaN)),
  );
  const followUp = rowOf(engine.followUps, null);
  const agree = engine.samples
    .filter((s) => s.tokenIds.length > 0)
    .map((s, i) => s.tokenIds.join() === reference.samples[i]?.tokenIds.join());
  return {
    tokens: engine.tokens,
    answers: engine.samples.length,
    rows,
    followUp,
    beam: engine.beams.length ? rowOf(engine.beams, null) : null,
    ratios: {
      vsReference: rows.engine.p50 / rows.reference.p50,
      vsPytorch: rows.engine.p50 / rows.pytorch.p50,
      /** Median over images of the engine's time over the other's on the same image (answered back to back). */
      vsReferencePaired: paired(engine.samples, reference.samples),
      vsPytorchPaired: paired(engine.samples, pytorch.samples),
      overFloor,
      followUpOverFirst: followUp.p50 / rows.engine.p50,
    },
    idsAgreeWithReference: `${agree.filter(Boolean).length}/${agree.length}`,
    visionRelErrorVsIR: pytorch.visionRelErrorVsIR ?? null,
    versions: reference.versions,
    settings: { engine: engine.settings, reference: reference.settings, pytorch: pytorch.settings },
  };
}

export type ContendersSummary = ReturnType<typeof summarizeContenders>;

/** "met" or "MISSED" against an upper bound. */
const goal = (value: number, max: number) =>
  `**${value.toFixed(3)}×** (goal ≤ ${max}×: ${value <= max ? 'met' : '**MISSED**'})`;

/** The figure table: one column per contender. */
function table(s: ContendersSummary): string[] {
  const { engine, reference, pytorch, floor } = s.rows;
  const cols = [engine, reference, pytorch, floor];
  const cell = (v: number | null, digits = 1) => (v === null ? '–' : v.toFixed(digits));
  const line = (name: string, pick: (r: Row) => number | null, digits = 1) =>
    `| ${name} | ${cols.map((r) => cell(pick(r), digits)).join(' | ')} |`;
  return [
    '| figure (answer to a first question on a new image) | (a) our engine | (b) reference pipeline | (c) PyTorch | (d) floor |',
    '|---|---:|---:|---:|---:|',
    line('preprocess ms (p50)', (r) => r.preprocess),
    line('vision encoder ms (p50)', (r) => r.vision),
    line('text encoder ms (p50)', (r) => r.textEncoder),
    line('time to first token ms (p50)', (r) => r.firstToken),
    line('decoder step after the first ms (p50)', (r) => r.perToken),
    line('tokens/s in the decode phase', (r) => r.tokensPerSecond),
    line('**full answer ms p50**', (r) => r.p50),
    line('full answer ms p95', (r) => r.p95),
    line('peak resident memory MiB (own process)', (r) => r.peakRssMiB, 0),
  ];
}

/** The BENCHMARKS.md section. */
export function renderContenders(
  s: ContendersSummary,
  ctx: { command: string; model: string; machine: string; load: string; when: string },
) {
  const r = s.ratios;
  return [
    '## Against the reference pipeline, PyTorch and the floor',
    '',
    `Command: \`${ctx.command}\` — model \`${ctx.model}\`, ${s.answers} answers per contender, each forced to exactly ` +
      `${s.tokens} new tokens (min = max new tokens, greedy), the same JPEG files (640×480, one per answer, none ` +
      `seen twice) and the same question; one warm-up answer first. Run of ${ctx.when} on ${ctx.machine}; load ` +
      `average (1 min, start → end) ${ctx.load}. Versions: ${Object.entries(s.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}, Node ${process.versions.node}.`,
    '',
    'Contenders, each in its own process (so peak memory is its own), loaded side by side, then driven answer by answer ' +
      'in turn (image i goes to every contender before image i+1, the order rotating), so the load of the shared machine ' +
      'falls on all alike:',
    "(a) our engine (`bench/contender-engine.ts`); (b) the reference tutorial's pipeline rebuilt in " +
      "`models/bench/reference_pipeline.py`: OpenVINO's Python API on the same IR files, Hugging Face `generate()` " +
      'driving the decoder through a weightless module whose `forward` calls OpenVINO — it runs ' +
      "`text_decoder_cross_kv` inside every step, as the tutorial's single decoder graph recomputes cross-attention " +
      'keys/values every step; (c) PyTorch `BlipForQuestionAnswering.generate()` on the same seeded random weights ' +
      `(\`models/bench/pytorch_generate.py\`; vision output vs the IR's: relative error ${s.visionRelErrorVsIR?.toExponential(1) ?? '–'}, ` +
      "FP16 rounding); (d) the floor: the engine's part calls replayed bare (`bench/floor.ts`), summing only `infer()` " +
      "times, in the engine's process (so (a)'s peak memory also holds the floor's own infer requests and copies).",
    `Same OpenVINO settings for (a), (b), (d): \`INFERENCE_PRECISION_HINT=f32\`, \`PERFORMANCE_HINT=LATENCY\`, ` +
      `\`INFERENCE_NUM_THREADS=${String(s.settings.engine.numThreads)}\` (one stream); PyTorch float32 with ` +
      `\`torch.set_num_threads(${String(s.settings.pytorch.threads)})\`. Preprocessing: sharp in (a), ` +
      '`BlipImageProcessor` (PIL) in (b) and (c). Greedy token ids, engine vs reference, on the first answers: ' +
      `${s.idsAgreeWithReference} equal.`,
    '',
    ...table(s),
    '',
    `- Engine vs reference pipeline, full answer p50: ${goal(r.vsReference, 0.8)}; median of per-image ratios ${r.vsReferencePaired.toFixed(3)}×`,
    `- Engine vs PyTorch, full answer p50: ${goal(r.vsPytorch, 0.5)}; median of per-image ratios ${r.vsPytorchPaired.toFixed(3)}×`,
    `- Engine vs floor (median of each answer's time without preprocessing over its own floor): ${goal(r.overFloor, 1.05)}`,
    `- Follow-up question on the same image (embeddings cached): p50 ${ms(s.followUp.p50)} ms, p95 ` +
      `${ms(s.followUp.p95)} ms; over the first question: ${goal(r.followUpOverFirst, 0.5)}`,
    s.beam
      ? `- 3-beam search, new image, ${s.tokens} forced tokens (engine only): p50 ${ms(s.beam.p50)} ms, p95 ${ms(s.beam.p95)} ms, ` +
        `TTFT p50 ${ms(s.beam.firstToken)} ms, step ${ms(s.beam.perToken)} ms (over ${s.rows.engine.perToken.toFixed(1)} ms greedy).`
      : '- 3-beam search: not run.',
    '',
  ].join('\n');
}
