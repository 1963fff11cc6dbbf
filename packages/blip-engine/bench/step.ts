// `npx tsx packages/blip-engine/bench/step.ts [--quick] [--model <folder>] [--rounds N] [--tokens T]
// [--precisions f32,bf16]`: the engine's decoder step (binding, run, choosing the token: the decoderStep +
// decode + SingleSearch that every greedy generation runs) against the bare floor (synchronous infer() of the
// same decoder, only infer() timed), per precision, interleaved in rounds (the order flips every round) so load
// swings hit both; writes BENCHMARKS.md "Decoder step" (full runs only).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  benchImage,
  benchRun,
  countArg,
  loadNow,
  machineLine,
  median,
  ms,
  percentile,
  repoPath,
  writeNamedSection,
} from '@blip/testing/bench';
import { Blip, engineContext } from '../src/engine/blip.js';
import type { EngineContext } from '../src/engine/generation.js';
import { decode } from '../src/generate/decode-loop.js';
import { decoderStep } from '../src/generate/decoder-step.js';
import type { CacheData, CacheTensor } from '../src/generate/kv-cache.js';
import { resolveGenerationOptions } from '../src/generate/options.js';
import { SingleSearch } from '../src/generate/single-search.js';
import { type InferRequest, Tensor } from '../src/openvino/index.js';
import { encodeQuestion, loadTokenizer } from '../src/text/index.js';
import { cpuMsSince, floorDecode, floorRequests } from './floor.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const QUESTION = 'what color is the circle?';
type Precision = 'f32' | 'bf16';

/** Per precision: engine and floor step ms (median and 10th percentile of all steps), and the round ratios. */
export interface StepFigures {
  precision: Precision;
  engineStepMs: number;
  floorStepMs: number;
  /** Median over rounds of (engine median step / floor median step) in that round. */
  ratio: number;
  engineP10Ms: number;
  floorP10Ms: number;
  /** Median over rounds of the engine's CPU time for the whole decoding over the floor's for its runs. */
  cpuRatio: number;
}

/** One loaded engine and what both sides replay: the cross K/V of one question on one image, bare requests. */
async function contender(model: string, precision: Precision, bytes: Uint8Array) {
  const blip = await Blip.load(model, { inferencePrecision: precision });
  const ctx = engineContext(blip);
  const prepared = await blip.prepareImage(bytes);
  const requests = floorRequests(ctx);
  const ids = encodeQuestion(await loadTokenizer(model), QUESTION);
  const cross = bareCrossKv(ctx, requests, prepared.pixels, ids);
  return { precision, blip, ctx, requests, cross };
}

/** vision → text encoder → cross K/V with bare requests (untimed), copied into tensors of our own. */
function bareCrossKv(
  ctx: EngineContext,
  requests: ReturnType<typeof floorRequests>,
  pixels: Float32Array,
  questionIds: number[],
): Map<string, Tensor> {
  const copy = (t: Tensor | undefined) => {
    if (!t) throw new Error('a bare run is missing an output');
    return new Tensor(t.elementType, t.shape, t.data.slice()); // bf16 cross K/V when the decoder runs bf16
  };
  const size = ctx.manifest.image.size;
  const image = copy(
    requests.vision.infer({ pixel_values: new Tensor('f32', [1, 3, size, size], pixels) }).image_embeds,
  );
  const n = questionIds.length;
  const question = copy(
    requests.textEncoder?.infer({
      input_ids: new Tensor('i64', [1, n], BigInt64Array.from(questionIds, BigInt)),
      attention_mask: new Tensor('i64', [1, n], new BigInt64Array(n).fill(1n)),
      encoder_hidden_states: image,
    }).question_embeds,
  );
  const outputs = requests.crossKv.infer({ encoder_hidden_states: question });
  return new Map(Object.entries(outputs).map(([name, tensor]) => [name, copy(tensor)]));
}

type Contender = Awaited<ReturnType<typeof contender>>;

/** The engine's greedy decoding of `tokens` tokens as runDecoder (engine/generation.ts) runs it; step ms after the first. */
async function engineSteps(c: Contender, tokens: number): Promise<{ steps: number[]; cpuMs: number }> {
  const { manifest, parts, decoderInputs } = c.ctx;
  const forced = { minNewTokens: tokens, maxNewTokens: tokens };
  const prompt = [manifest.tokens.decoder_start];
  const room = { promptLength: 1, maxPositions: manifest.decoder.max_positions };
  const search = new SingleSearch(
    resolveGenerationOptions(forced, manifest.generation, room),
    prompt,
    manifest.tokens.eos,
  );
  const crossKv = new Map(
    [...c.cross].map(([name, t]) => [
      name,
      { data: t.data as CacheData, shape: t.shape as CacheTensor['shape'] },
    ]),
  );
  const { heads, head_size: headSize } = manifest.decoder;
  const setup = { decoderInputs, heads, headSize, batchInputs: c.ctx.batchInputs };
  const cpuStart = process.cpuUsage();
  const steps = await parts.decoder.hold(2, async (requests) => {
    const step = decoderStep(parts.decoder, requests as [InferRequest, InferRequest], crossKv, setup);
    const outcome = await decode(step, search, prompt);
    if (outcome.steps !== tokens) throw new Error(`expected ${tokens} steps, got ${outcome.steps}`);
    return outcome.stepMs.slice(1);
  });
  return { steps, cpuMs: cpuMsSince(cpuStart) };
}

/** One round's figures for one side: wall ms of each step after the first, CPU ms of all runs. */
interface Side {
  steps: number[];
  cpuMs: number;
}

/** One round: the engine's steps and the floor's, in the given order. */
async function round(c: Contender, tokens: number, floorFirst: boolean): Promise<[Side, Side]> {
  const floor = () => floorDecode(c.ctx, c.requests.decoder, c.cross, tokens);
  const early = floorFirst ? floor() : null;
  const engine = await engineSteps(c, tokens);
  return [engine, early ?? floor()];
}

/** Runs the rounds; returns the figures, or null when the model folder is absent. */
export async function runStepBench(argv: string[]): Promise<StepFigures[] | null> {
  const run = benchRun(argv, 'decoder-step bench', {
    tokens: { type: 'string' },
    precisions: { type: 'string' },
  });
  if (!run) return null;
  const { values, model } = run;
  const rounds = countArg(values.rounds, values.quick ? 2 : 12, 'rounds');
  const tokens = countArg(values.tokens, 20, 'tokens', 2);
  const precisions = (values.precisions ?? 'f32,bf16').split(',') as Precision[];
  const bytes = await benchImage(0);
  const contenders: Contender[] = [];
  for (const precision of precisions) contenders.push(await contender(model, precision, bytes));
  try {
    for (const c of contenders) await round(c, tokens, false); // warm-up, not counted
    const samples = new Map(precisions.map((p) => [p, [] as [Side, Side][]]));
    for (let i = 0; i < rounds; i++) {
      for (const c of contenders) samples.get(c.precision)?.push(await round(c, tokens, i % 2 === 1));
    }
    const figures = precisions.map((precision) => summarize(precision, samples.get(precision) ?? []));
    const section = render(figures, { argv, model: repoPath(model), rounds, tokens });
    console.log(section);
    if (!values.quick) await writeNamedSection(resolve(REPO_ROOT, 'BENCHMARKS.md'), 'Decoder step', section);
    return figures;
  } finally {
    for (const c of contenders) {
      for (const request of Object.values(c.requests)) request?.dispose();
      await c.blip.dispose();
    }
  }
}

function summarize(precision: Precision, rounds: [Side, Side][]): StepFigures {
  const all = (side: 0 | 1) => rounds.flatMap((r) => r[side].steps);
  return {
    precision,
    engineStepMs: median(all(0)),
    floorStepMs: median(all(1)),
    ratio: median(rounds.map(([engine, floor]) => median(engine.steps) / median(floor.steps))),
    engineP10Ms: percentile(all(0), 10),
    floorP10Ms: percentile(all(1), 10),
    cpuRatio: median(rounds.map(([engine, floor]) => engine.cpuMs / floor.cpuMs)),
  };
}

function render(
  figures: StepFigures[],
  run: { argv: string[]; model: string; rounds: number; tokens: number },
): string {
  const command = ['npx tsx packages/blip-engine/bench/step.ts', ...run.argv].join(' ');
  const machine = machineLine();
  return [
    '## Decoder step',
    '',
    `Command: \`${command}\` (${new Date().toISOString().slice(0, 16)}Z) — model \`${run.model}\`, ${machine}, load ` +
      `average ${loadNow().toFixed(1)} at the end. Each round: one engine answer forced to ${run.tokens} tokens ` +
      `(every step after the first: binding, decoder run, choosing the token) and ${run.tokens} bare synchronous ` +
      '`infer()` runs of the same decoder (inputs bound before the clock starts: only `infer()` is timed), order flipped every round, precisions in turn; ' +
      `${run.rounds} rounds after one warm-up. Ratio = median over rounds of each round's median engine step over its ` +
      'median floor step (goal ≤ 1.03×); the 10th percentiles show the steps least disturbed by other load. CPU ' +
      "time = the process's user + system time (every thread, OpenVINO's included) over all of a round's decoder " +
      "runs (prefill included; the engine's binding and token choice included, the floor's input binding not), " +
      'median of the per-round ratios: it does not count waiting for a core, so it is the steadier figure here.',
    '',
    '| precision | engine step ms (median) | floor step ms (median) | engine / floor (median of rounds) | engine p10 ms | floor p10 ms | p10 ratio | CPU time engine / floor |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...figures.map(
      (f) =>
        `| ${f.precision} | ${ms(f.engineStepMs)} | ${ms(f.floorStepMs)} | **${f.ratio.toFixed(3)}×** | ` +
        `${ms(f.engineP10Ms)} | ${ms(f.floorP10Ms)} | ${(f.engineP10Ms / f.floorP10Ms).toFixed(3)}× | ` +
        `**${f.cpuRatio.toFixed(3)}×** |`,
    ),
    '',
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runStepBench(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
