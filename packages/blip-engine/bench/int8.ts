// FP16 against INT8 of one model, through the engine, measured in one run on the same machine: per-stage and
// full-answer latency as ratios, and token agreement on the golden images.
// Run: `npm run bench` (its INT8 section), or alone:
//   npx tsx packages/blip-engine/bench/int8.ts [--fp DIR] [--int8 DIR] [--repeats N] [--quick]
// Make the folders first:
//   npm run models -- export --random-init blip-vqa-base --out models/blip-vqa-base-random
//   npm run models -- quantize models/blip-vqa-base-random --out models/blip-vqa-base-random-int8 --shapes

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchArgsLenient, countArg } from '@blip/testing/bench';
import { Blip } from '../src/engine/blip.js';
import type { PreparedImage } from '../src/image/index.js';
import type { GenerationResult, Timings } from '../src/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every setting of the INT8 benchmark, with its default. */
export interface Int8BenchOptions {
  fpFolder: string;
  int8Folder: string;
  /** The golden images (models/fixtures/images). */
  imagesDir: string;
  /** Questions asked of every golden image (the golden fixtures' kind: short, long, non-Latin). */
  questions: string[];
  /** Timed rounds over the images; each round alternates which model goes first. */
  repeats: number;
  /** Images used for timing (the first n, sorted); agreement always uses all of them. */
  timedImages: number;
  /** Tokens every timed answer and caption generates, so both models do the same work. */
  timedTokens: number;
}

export const DEFAULT_INT8_BENCH: Int8BenchOptions = {
  fpFolder: join(ROOT, 'models/blip-vqa-base-random'),
  int8Folder: join(ROOT, 'models/blip-vqa-base-random-int8'),
  imagesDir: join(ROOT, 'models/fixtures/images'),
  questions: ['what color is the circle?', 'how many red circles are there on the left?', 'что это? 🐱'],
  repeats: 5,
  timedImages: 3,
  timedTokens: 19, // max_length 20 minus the decoder start token, as the reference's generate()
};

/** The reference tutorial's INT8 speed-ups (/work/shared/blip-reference.md), quoted beside ours. */
const TUTORIAL_SPEEDUP = { caption: 1.254, answer: 1.715 };

/** The stages compared, by Timings field. */
const STAGES = ['visionMs', 'textEncoderMs', 'firstTokenMs', 'perTokenMs'] as const;
type Stage = (typeof STAGES)[number];
type Sample = Record<Stage | 'answerMs' | 'captionMs', number[]>;

interface ModelSummary {
  folder: string;
  /** How the INT8 folder was calibrated (its manifest's quantization block), or null. */
  calibration: string | null;
  source: string;
  precision: Record<string, string>;
  binBytes: number;
}

/** What one run found: medians per model, FP/INT8 ratios (> 1 means INT8 is faster), and agreement. */
export interface Int8Report {
  fp: ModelSummary;
  int8: ModelSummary;
  medians: Record<string, { fp: number; int8: number; ratio: number }>;
  agreement: { sequences: number; exact: number; firstToken: number; meanCommonPrefix: number };
  settings: Omit<Int8BenchOptions, 'fpFolder' | 'int8Folder'>;
  /** 1-minute load average before and after the run: other work on the machine slows both models alike. */
  loadAverage: [number, number];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Total weight bytes of a folder and its calibration record, from its manifest. */
function folderFacts(folder: string): { binBytes: number; calibration: string | null } {
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as {
    parts: Record<string, { bin: string }>;
    quantization: { calibration?: string; subset_size?: number } | null;
  };
  const binBytes = Object.values(manifest.parts).reduce(
    (sum, part) => sum + statSync(join(folder, part.bin)).size,
    0,
  );
  const q = manifest.quantization;
  return { binBytes, calibration: q ? `${q.calibration ?? 'none'}, ${q.subset_size ?? 0} samples` : null };
}

function emptySample(): Sample {
  return { visionMs: [], textEncoderMs: [], firstTokenMs: [], perTokenMs: [], answerMs: [], captionMs: [] };
}

/** One timed answer and one timed caption of a prepared image, both generating exactly `tokens` tokens. */
async function timeOnce(blip: Blip, image: PreparedImage, question: string, tokens: number, into: Sample) {
  const fixed = { minNewTokens: tokens, maxNewTokens: tokens };
  const answer = await blip.answer(image, question, fixed);
  if (answer.tokenIds.length !== tokens)
    throw new Error(`answer made ${answer.tokenIds.length} tokens, not ${tokens}`);
  const timings: Timings = answer.timings;
  for (const stage of STAGES) into[stage].push(timings[stage]);
  into.answerMs.push(timings.totalMs);
  into.captionMs.push((await blip.caption(image, fixed)).timings.totalMs);
}

/** Rounds over the timed images, alternating which model goes first so drift and warm caches hit both alike. */
async function timeBoth(
  models: [Blip, Blip],
  images: Uint8Array[],
  opts: Int8BenchOptions,
): Promise<[Sample, Sample]> {
  const samples: [Sample, Sample] = [emptySample(), emptySample()];
  const prepared = await Promise.all(
    models.map((m) => Promise.all(images.map((bytes) => m.prepareImage(bytes)))),
  );
  for (let round = 0; round < opts.repeats; round++) {
    for (const [i] of images.entries()) {
      const question = opts.questions[i % opts.questions.length] ?? '';
      for (const which of round % 2 === 0 ? [0, 1] : [1, 0]) {
        const image = prepared[which]?.[i];
        if (image)
          await timeOnce(models[which] as Blip, image, question, opts.timedTokens, samples[which] as Sample);
      }
    }
  }
  return samples;
}

function commonPrefix(a: number[], b: number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Greedy answers (every question) and captions of every golden image from both models, compared token by token. */
async function agreement(models: [Blip, Blip], images: Uint8Array[], questions: string[]) {
  const pairs: [GenerationResult, GenerationResult][] = [];
  for (const bytes of images) {
    for (const question of questions) {
      pairs.push([await models[0].answer(bytes, question), await models[1].answer(bytes, question)]);
    }
    pairs.push([await models[0].caption(bytes), await models[1].caption(bytes)]);
  }
  const exact = pairs.filter(([a, b]) => a.tokenIds.join() === b.tokenIds.join()).length;
  const first = pairs.filter(([a, b]) => a.tokenIds[0] === b.tokenIds[0]).length;
  const prefix = pairs.map(
    ([a, b]) => commonPrefix(a.tokenIds, b.tokenIds) / Math.max(1, a.tokenIds.length, b.tokenIds.length),
  );
  const mean = prefix.reduce((s, v) => s + v, 0) / Math.max(1, prefix.length);
  return { sequences: pairs.length, exact, firstToken: first, meanCommonPrefix: mean };
}

/** Load both folders (no image cache, so every call runs the vision encoder), measure, and report. */
export async function runInt8Bench(opts: Int8BenchOptions = DEFAULT_INT8_BENCH): Promise<Int8Report> {
  const names = readdirSync(opts.imagesDir).sort();
  const images = names.map((name) => new Uint8Array(readFileSync(join(opts.imagesDir, name))));
  const load = { imageCacheSize: 0 };
  const loadBefore = loadavg()[0] ?? 0;
  const models: [Blip, Blip] = [await Blip.load(opts.fpFolder, load), await Blip.load(opts.int8Folder, load)];
  try {
    const agree = await agreement(models, images, opts.questions);
    const [fp, int8] = await timeBoth(models, images.slice(0, opts.timedImages), opts);
    const medians: Int8Report['medians'] = {};
    for (const key of Object.keys(fp) as (keyof Sample)[]) {
      const [a, b] = [median(fp[key]), median(int8[key])];
      medians[key] = { fp: a, int8: b, ratio: a / b };
    }
    const { fpFolder, int8Folder, ...settings } = opts;
    const info = (blip: Blip, folder: string) => ({
      folder: relative(ROOT, folder),
      source: blip.info.source,
      precision: blip.info.precision,
      ...folderFacts(folder),
    });
    return {
      fp: info(models[0], fpFolder),
      int8: info(models[1], int8Folder),
      medians,
      agreement: agree,
      settings,
      loadAverage: [loadBefore, loadavg()[0] ?? 0],
    };
  } finally {
    await Promise.all(models.map((m) => m.dispose()));
  }
}

/** The report as the Markdown that BENCHMARKS.md quotes. */
export function formatInt8Report(r: Int8Report): string {
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  const rows = Object.entries(r.medians).map(
    ([stage, m]) => `| ${stage} | ${m.fp.toFixed(1)} | ${m.int8.toFixed(1)} | ${m.ratio.toFixed(2)}x |`,
  );
  const a = r.agreement;
  const load = (r.loadAverage ?? []).map((v) => v.toFixed(1)).join(' -> ') || 'not recorded';
  const { repeats, timedImages, timedTokens } = r.settings;
  return [
    `FP: \`${r.fp.folder}\` (${mib(r.fp.binBytes)} MiB of weights); INT8: \`${r.int8.folder}\` ` +
      `(${mib(r.int8.binBytes)} MiB; calibrated on ${r.int8.calibration ?? 'nothing'}).`,
    `Medians over ${repeats} rounds x ${timedImages} images, ${timedTokens} tokens per answer/caption, from a ` +
      `prepared image, no image cache; 1-min load average ${load} on this shared machine:`,
    '',
    '| stage | FP ms | INT8 ms | FP/INT8 |',
    '|---|---|---|---|',
    ...rows,
    '',
    `Token agreement (greedy, ${a.sequences} answers + captions on the golden images): identical sequences ` +
      `${a.exact}/${a.sequences}, same first token ${a.firstToken}/${a.sequences}, mean common prefix ` +
      `${(100 * a.meanCommonPrefix).toFixed(1)}% of the longer sequence.`,
    '',
    `For reference, the tutorial's INT8 over FP16 speed-ups (median of 100 samples, its machine): captioning ` +
      `${TUTORIAL_SPEEDUP.caption}x, question answering ${TUTORIAL_SPEEDUP.answer}x.`,
  ].join('\n');
}

/** What token agreement on random-init weights does and does not show; part of the written section. */
const randomWeightsNote = (source: string) =>
  [
    `The weights are random (\`${source}\`), so the tokens mean nothing as answers. Agreement here`,
    'shows that the INT8 graphs compute nearly the same function as the original ones through the whole engine',
    '(preprocessing, both encoders, cross K/V, the cached decoder loop): every token of a greedy sequence',
    'depends on all earlier ones, so a long common prefix needs every part to stay close. It does not measure',
    'answer quality: random logits are flat, so small quantization errors flip near-ties that a trained',
    "model's peaked distribution would not, and once one token differs the rest of the sequence diverges.",
    'The accuracy cost of INT8 is measured on the trained shapes demo model (models/shapes-demo/README.md).',
  ].join('\n');

/** The "## INT8" section of BENCHMARKS.md: command, machine, table, agreement, and what it means. */
export function renderInt8Section(report: Int8Report, command: string): string {
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'CPU'}`;
  const note = report.fp.source.startsWith('random-init:')
    ? `\n${randomWeightsNote(report.fp.source)}\n`
    : '';
  return `## INT8\n\nCommand: \`${command}\` (${new Date().toISOString().slice(0, 10)}, ${machine}; engine defaults: f32 inference, 1 generation at a time).\n\n${formatInt8Report(report)}\n${note}`;
}

/** Replace the "## INT8" section of a Markdown file (or append it), leaving the other sections alone. */
export function writeInt8Section(path: string, section: string): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf('\n## INT8\n');
  if (start < 0) {
    writeFileSync(path, `${current.trimEnd()}\n\n${section}`);
    return;
  }
  const next = current.indexOf('\n## ', start + 1);
  writeFileSync(path, `${current.slice(0, start)}\n${section}${next < 0 ? '' : current.slice(next)}`);
}

/** Command line (and the INT8 part of `npm run bench`): skips with a message when a folder is missing; a full
 * run writes BENCHMARKS.md's "INT8" section and artifacts/bench/int8.json, a --quick run only prints. */
export async function main(
  argv = process.argv.slice(2),
  command = 'npm run bench',
): Promise<Int8Report | null> {
  const values = benchArgsLenient(argv, {
    fp: { type: 'string' },
    int8: { type: 'string' },
    repeats: { type: 'string' },
  });
  const opts: Int8BenchOptions = { ...DEFAULT_INT8_BENCH };
  if (typeof values.fp === 'string') opts.fpFolder = resolve(values.fp);
  if (typeof values.int8 === 'string') opts.int8Folder = resolve(values.int8);
  if (values.quick) Object.assign(opts, { repeats: 2, timedImages: 2 });
  const repeats = typeof values.repeats === 'string' ? values.repeats : undefined;
  opts.repeats = countArg(repeats, opts.repeats, 'repeats');
  for (const folder of [opts.fpFolder, opts.int8Folder]) {
    if (!existsSync(join(folder, 'manifest.json'))) {
      console.log(
        `INT8 bench skipped: no model folder at ${folder} (see the commands at the top of bench/int8.ts)`,
      );
      return null;
    }
  }
  console.log(`INT8 bench: ${relative(ROOT, opts.fpFolder)} vs ${relative(ROOT, opts.int8Folder)}`);
  const report = await runInt8Bench(opts);
  const shown = command.startsWith('npm') && argv.length ? [command, '--', ...argv] : [command, ...argv];
  const section = renderInt8Section(report, shown.join(' '));
  console.log(section);
  if (!values.quick) {
    writeInt8Section(join(ROOT, 'BENCHMARKS.md'), section);
    mkdirSync(join(ROOT, 'artifacts/bench'), { recursive: true });
    writeFileSync(join(ROOT, 'artifacts/bench/int8.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log('written: BENCHMARKS.md (section "INT8"), artifacts/bench/int8.json');
  }
  return report;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main(process.argv.slice(2), 'npx tsx packages/blip-engine/bench/int8.ts');
}
