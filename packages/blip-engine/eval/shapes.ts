// The shapes demo model THROUGH THE TYPESCRIPT ENGINE, one line per evaluation set (answer accuracy last):
//   tsx packages/blip-engine/eval/shapes.ts [--model models/shapes-demo] [--n 1000] [--captions 300] [--seed S]
//        [--sets all|own,independent-96,...] [--detail] [--calibrate FILE] [--precision auto|f32|bf16]
//        [--dq-group N] (INT8 folders: the engine's dynamicQuantizationGroupSize; default the engine's)
// Every set is generated fresh (seed S + 7919 i) by the Python generator; spec sets are drawn by the independent
// SVG renderer. --calibrate measures the confidence threshold on these sets (use a seed other than the report's)
// and writes {threshold, quantile, seed, figures} to FILE, which `shapes-export --calibration FILE` puts in the manifest.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Blip } from '../src/engine/blip.js';
import { INFERENCE_PRECISIONS, type InferencePrecision } from '../src/index.js';
import { generateHeldout } from './heldout-set.js';
import { calibrationTable, setLine, thresholdFor } from './report.js';
import { type Outcome, runHeldout } from './run-eval.js';
import { formatTable } from './score.js';
import { type EvalSet, selectSets, setSeed } from './sets.js';

/** The defaults of the acceptance run: per set 1,000 questions and 300 captioned images, the held-out seed. */
export const EVAL_DEFAULTS = { model: 'models/shapes-demo', n: 1000, captions: 300, seed: 1_000_003 };
/** Share of each in-world set's right answers allowed under the threshold when calibrating (the goal keeps >= 95% above). */
export const CALIBRATION_QUANTILE = 0.03;

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string', default: EVAL_DEFAULTS.model },
      n: { type: 'string', default: String(EVAL_DEFAULTS.n) },
      captions: { type: 'string', default: String(EVAL_DEFAULTS.captions) },
      seed: { type: 'string', default: String(EVAL_DEFAULTS.seed) },
      sets: { type: 'string', default: 'all' },
      detail: { type: 'boolean', default: false },
      calibrate: { type: 'string' },
      /** auto = the engine's default (OpenVINO's own for FP16/FP32 folders); f32 = the exact mode. */
      precision: { type: 'string', default: 'auto' },
      'dq-group': { type: 'string' },
    },
  });
  const int = (name: string, v: string) => {
    if (!/^\d+$/.test(v))
      throw new Error(`--${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  return {
    model: resolve(values.model),
    n: int('n', values.n),
    captions: int('captions', values.captions),
    seed: int('seed', values.seed),
    sets: selectSets(values.sets),
    detail: values.detail,
    calibrate: values.calibrate ? resolve(values.calibrate) : null,
    precision: precisionOf(values.precision),
    dqGroup: values['dq-group'] === undefined ? undefined : int('dq-group', values['dq-group']),
  };
}

function precisionOf(value: string): InferencePrecision {
  const known: readonly string[] = INFERENCE_PRECISIONS;
  if (!known.includes(value)) throw new Error(`--precision must be one of ${known.join(', ')}, got ${value}`);
  return value as InferencePrecision;
}

/** The manifest's confidence_threshold, or null when the folder has none. */
async function manifestThreshold(folder: string): Promise<number | null> {
  const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as {
    confidence_threshold?: unknown;
  };
  return typeof manifest.confidence_threshold === 'number' ? manifest.confidence_threshold : null;
}

/** Generates one set into a temp folder, runs it through the engine, prints its line; returns the outcomes. */
async function evaluateSet(blip: Blip, set: EvalSet, index: number, o: ReturnType<typeof options>) {
  const dir = await mkdtemp(join(tmpdir(), `shapes-${set.name}-`));
  try {
    const seed = setSeed(o.seed, index);
    const captions = Math.round(o.captions * set.captionShare);
    const data = await generateHeldout(dir, { seed, questions: o.n, captions, ...set.options });
    const r = await runHeldout(blip, data);
    if (o.detail) {
      console.log(
        `\n${set.name}: seed ${seed}, mean answer ${r.meanAnswerMs.toFixed(1)} ms, caption ${r.meanCaptionMs.toFixed(1)} ms`,
      );
      console.log(formatTable(r.answers, r.captions));
      for (const m of r.mistakes)
        console.log(
          `  wrong: ${m.image} ${m.question ?? '(caption)'} -> ${JSON.stringify(m.got)}, expected ${JSON.stringify(m.expected)}`,
        );
    }
    return r.outcomes;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<void> {
  const o = options(argv);
  const blip = await Blip.load(o.model, {
    inferencePrecision: o.precision,
    dynamicQuantizationGroupSize: o.dqGroup,
  });
  const threshold = o.calibrate ? null : await manifestThreshold(o.model);
  console.log(
    `model ${o.model} (${blip.info.source}; runs at ${blip.info.inferencePrecision}); base seed ${o.seed}; threshold ${threshold ?? 'none'}`,
  );
  const lines: string[] = [];
  const inWorld: Outcome[][] = [];
  const outside: Outcome[] = [];
  try {
    for (const [i, set] of o.sets.entries()) {
      const outcomes = await evaluateSet(blip, set, i, o);
      if (set.outside) outside.push(...outcomes);
      else inWorld.push(outcomes);
      lines.push(setLine(set, outcomes, threshold));
      console.log(lines.at(-1));
    }
  } finally {
    await blip.dispose();
  }
  if (o.calibrate) await writeCalibration(o.calibrate, inWorld, outside, o.seed);
}

/** Picks the threshold on these sets and writes it with the table of who falls on which side. */
async function writeCalibration(file: string, inWorld: Outcome[][], outside: Outcome[], seed: number) {
  const threshold = thresholdFor(inWorld, CALIBRATION_QUANTILE);
  if (threshold === null) throw new Error('the engine reported no confidence: nothing to calibrate');
  const table = calibrationTable(inWorld.flat(), outside, threshold);
  console.log(`\n${table}`);
  await writeFile(
    file,
    `${JSON.stringify({ threshold, quantile: CALIBRATION_QUANTILE, seed, table }, null, 1)}\n`,
  );
  console.log(`wrote ${file}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
