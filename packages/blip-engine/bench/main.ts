// `npm run bench [-- --quick] [--model <folder>] [--reps N]`: the engine's latency on the full-size random-init
// BLIP against the floor of bare OpenVINO calls; writes the "Engine" section of BENCHMARKS.md (full runs only).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  benchArgs,
  benchImage,
  benchModel,
  countArg,
  loadNow,
  machineLine,
  repoPath,
  writeNamedSection,
} from '@blip/testing/bench';
import { Blip } from '../src/engine/blip.js';
import { encodeQuestion, loadTokenizer } from '../src/text/index.js';
import { measureAnswers, measureCaptions } from './engine-runs.js';
import { main as runInt8Section } from './int8.js';
import { renderSection, type Summary, summarize } from './report.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DEFAULT_MODEL = 'models/blip-vqa-base-random';
/** Answers (and captions) per mode in a full run: about 8 minutes on the shared 2-core machine. */
const FULL_REPS = 8;
const QUESTIONS = ['how many objects are in the picture?', 'what color is the circle?'];

/** Runs the benchmark; returns the summary, or null when the model folder is absent (skipped). */
export async function runBench(argv: string[]): Promise<Summary | null> {
  const values = benchArgs(argv, {
    model: { type: 'string' },
    reps: { type: 'string' },
    tokens: { type: 'string' },
  });
  const model = benchModel('engine bench', values.model, {
    path: DEFAULT_MODEL,
    hint:
      'Make it with `npm run models -- export --random-init blip-vqa-base --out models/blip-vqa-base-random` ' +
      '(FP16, a few minutes).',
  });
  if (!model) return null;
  const reps = countArg(values.reps, values.quick ? 2 : FULL_REPS, 'reps');
  const newTokens = countArg(values.tokens, 20, 'tokens');
  console.log(`[1/4] loading ${repoPath(model)}`);
  const blip = await Blip.load(model);
  try {
    const tokenizer = await loadTokenizer(model);
    const questions = QUESTIONS.map((text) => ({ text, ids: encodeQuestion(tokenizer, text) }));
    const images = [];
    for (let i = 0; i < reps; i++) {
      const bytes = await benchImage(i);
      images.push({ bytes, prepared: await blip.prepareImage(bytes) });
    }
    console.log(`[2/4] ${reps} answers of ${newTokens} tokens, each with its bare-OpenVINO floor`);
    const answers = await measureAnswers(blip, images, questions, newTokens);
    console.log(`[3/4] ${reps} captions with cross K/V once vs every step`);
    const captions = await measureCaptions(blip, images[0]?.prepared as never, newTokens, reps);
    const summary = summarize(answers, captions, newTokens);
    const precision = [...new Set(Object.values(blip.info.precision))].join('/');
    const section = renderSection(summary, {
      command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '),
      model: repoPath(model),
      precision,
      runsAt: blip.info.inferencePrecision,
      newTokens,
      reps,
      machine: `${machineLine()} (load average ${loadNow().toFixed(1)} at the end)`,
    });
    console.log(`[4/4] results\n\n${section}`);
    if (!values.quick) {
      await writeNamedSection(resolve(REPO_ROOT, 'BENCHMARKS.md'), 'Engine', section);
      await mkdir(resolve(REPO_ROOT, 'artifacts/bench'), { recursive: true });
      await writeFile(resolve(REPO_ROOT, 'artifacts/bench/engine.json'), JSON.stringify(summary, null, 2));
      console.log('written: BENCHMARKS.md (section "Engine"), artifacts/bench/engine.json');
    }
    return summary;
  } finally {
    await blip.dispose();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runBench(process.argv.slice(2))
    .then(() => runInt8Section(process.argv.slice(2))) // the "INT8" section: FP16 vs INT8 (bench/int8.ts)
    .catch((error: unknown) => {
      console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}
