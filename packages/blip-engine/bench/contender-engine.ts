// Benchmark contender (a), our engine, in a process of its own so that its peak resident memory is its own.
// Answers the same question about the same JPEG files as the Python contenders (reference pipeline, PyTorch),
// with the same OpenVINO settings, and replays each answer's part calls bare (the floor, contender d).
// Usage: tsx packages/blip-engine/bench/contender-engine.ts --model DIR --images DIR --question Q --follow-up Q
//        [--tokens 20] [--reps N] [--beam-reps 5] [--threads 2] [--out report.json]
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { benchImage } from '@blip/testing/bench';
import { Blip } from '../src/engine/blip.js';
import { encodeQuestion, loadTokenizer } from '../src/text/index.js';
import type { Timings } from '../src/types.js';
import { type AnswerSample, measureAnswers } from './engine-runs.js';
import type { FloorTimes } from './floor.js';

/** The engine's load options in the benchmark: the same OpenVINO settings as the Python contenders. */
export const contenderLoadOptions = (threads: number) =>
  ({ inferencePrecision: 'f32', performanceHint: 'LATENCY', numThreads: threads }) as const;

/** What this process reports (the Python contenders report `samples` and `peakRssKiB` alike). */
export interface EngineReport {
  contender: 'engine';
  settings: Record<string, unknown>;
  tokens: number;
  peakRssKiB: number;
  /** First question on a new image, from JPEG bytes. */
  samples: (Timings & { tokenIds: number[] })[];
  /** Second question on the same image (prepared, embeddings cached). */
  followUps: Timings[];
  /** The first question's part calls, bare. */
  floors: FloorTimes[];
  /** 3-beam answers on new images, from JPEG bytes. */
  beams: Timings[];
}

/** Protocol lines on stdout start with this (as in models/bench/contender_common.py). */
export const PROTOCOL_PREFIX = '@@ ';

/** How many answers' token ids are reported for the agreement check. */
const ID_CHECKS = 3;

const options = {
  model: { type: 'string' },
  images: { type: 'string' },
  question: { type: 'string' },
  'follow-up': { type: 'string' },
  tokens: { type: 'string', default: '20' },
  /** Answers measured: the first N images of the folder (all when absent). */
  reps: { type: 'string' },
  'beam-reps': { type: 'string', default: '5' },
  threads: { type: 'string', default: '2' },
  out: { type: 'string' },
  /** Answer image indexes read from stdin until `end` (the benchmark interleaves the contenders this way). */
  serve: { type: 'boolean' },
} as const;

/** Reads the JPEG files of a folder in name order. */
async function readImages(folder: string): Promise<Uint8Array[]> {
  const names = (await readdir(folder)).filter((n) => n.endsWith('.jpg')).sort();
  if (names.length === 0) throw new Error(`no .jpg files in ${folder}`);
  return Promise.all(names.map(async (n) => new Uint8Array(await readFile(join(folder, n)))));
}

/** The image indexes to answer: 0..n-1, or with --serve each line of stdin until `end`. */
async function* indexes(serve: boolean, count: number): AsyncGenerator<number> {
  if (!serve) {
    for (let i = 0; i < count; i++) yield i;
    return;
  }
  console.log(`${PROTOCOL_PREFIX}ready`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === 'end') return;
    const index = Number(line);
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new Error(`bad image index "${line}"`);
    yield index;
  }
}

/** Loads the engine, warms up on an image of its own, measures answers, follow-ups, floors and beams. */
export async function runEngineContender(argv: string[]): Promise<EngineReport> {
  const { values } = parseArgs({ args: argv, options });
  if (!values.model || !values.images || !values.question || !values['follow-up'])
    throw new Error('--model, --images, --question and --follow-up are required');
  const [tokens, beamReps, threads] = [values.tokens, values['beam-reps'], values.threads].map(Number) as [
    number,
    number,
    number,
  ];
  const blip = await Blip.load(values.model, contenderLoadOptions(threads));
  try {
    const tokenizer = await loadTokenizer(values.model);
    const questions = [values.question, values['follow-up']].map((text) => ({
      text,
      ids: encodeQuestion(tokenizer, text),
    }));
    const forced = { minNewTokens: tokens, maxNewTokens: tokens };
    await blip.answer(await benchImage(10_000), values.question, forced); // warm-up, as the Python contenders
    const files = await readImages(values.images);
    const count = Math.min(files.length, Number(values.reps ?? files.length));
    const answers: AnswerSample[] = [];
    const ids: number[][] = []; // the answers' token ids, for the agreement check with the reference (a few suffice)
    for await (const index of indexes(Boolean(values.serve), count)) {
      const bytes = files[index] as Uint8Array;
      const image = { bytes, prepared: await blip.prepareImage(bytes) };
      const [sample] = await measureAnswers(blip, [image], questions, tokens);
      answers.push(sample as AnswerSample);
      if (ids.length < ID_CHECKS)
        ids.push((await blip.answer(image.prepared, values.question, forced)).tokenIds);
      if (values.serve) console.log(`${PROTOCOL_PREFIX}${JSON.stringify(sample?.first)}`);
    }
    const beams: Timings[] = [];
    for (let i = 0; i < beamReps; i++) {
      const beam = { ...forced, strategy: 'beam', numBeams: 3 } as const;
      beams.push((await blip.answer(await benchImage(20_000 + i), values.question, beam)).timings);
    }
    return {
      contender: 'engine',
      settings: { ...contenderLoadOptions(threads), driver: 'our engine (TypeScript, OpenVINO C API)' },
      tokens,
      peakRssKiB: process.resourceUsage().maxRSS,
      samples: answers.map((a, i) => ({ ...a.first, tokenIds: ids[i] ?? [] })),
      followUps: answers.map((a) => a.followUp),
      floors: answers.map((a) => a.floor),
      beams,
    };
  } finally {
    await blip.dispose();
  }
}

if (process.argv[1]?.endsWith('contender-engine.ts')) {
  const out = parseArgs({ args: process.argv.slice(2), options }).values.out;
  runEngineContender(process.argv.slice(2))
    .then(async (report) => {
      const text = JSON.stringify(report);
      if (out) await writeFile(out, text);
      else console.log(text);
    })
    .catch((error: unknown) => {
      console.error(`engine contender failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}
