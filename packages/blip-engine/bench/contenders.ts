// `npm run bench` part 2: our engine against the reference Python pipeline, PyTorch generate() and the bare
// OpenVINO floor, each contender in its own process on the same images; writes the BENCHMARKS.md section
// "Against the reference pipeline, PyTorch and the floor" (full runs only).
// Usage: tsx packages/blip-engine/bench/contenders.ts [--quick] [--model DIR] [--reps N] [--tokens N] [--threads N]
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchImage, writeNamedSection } from '@blip/testing/bench';
import type { EngineReport } from './contender-engine.js';
import { ContenderProcess } from './contender-process.js';
import {
  type ContendersSummary,
  type PythonReport,
  renderContenders,
  summarizeContenders,
} from './contenders-report.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DEFAULT_MODEL = 'models/blip-vqa-base-random';
/** The questions (the engine bench's): the first on each new image, the second as its follow-up. */
const QUESTION = 'how many objects are in the picture?';
const FOLLOW_UP = 'what color is the circle?';
/** Answers per contender: the brief asks for at least 30 in full runs. */
const FULL_REPS = 30;
const QUICK_REPS = 3;
/** 3-beam answers measured on the engine. */
const BEAM_REPS = { full: 5, quick: 1 };
const TITLE = 'Against the reference pipeline, PyTorch and the floor';

/** Writes `count` distinct 640×480 JPEG scenes, one per answer, so no contender ever sees an image twice. */
async function writeImages(folder: string, count: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i++)
    await writeFile(join(folder, `${String(i).padStart(3, '0')}.jpg`), await benchImage(i));
}

/**
 * Starts the three contender processes (they load side by side), then drives them answer by answer in turn —
 * image i goes to every contender before image i+1, the order rotating — so the shared machine's drifting load
 * falls on all of them alike; each keeps its own process, so its peak memory is its own.
 */
async function runContenders(work: string, common: string[], reps: number, beamReps: number) {
  const out = (name: string) => join(work, `${name}.json`);
  const python = resolve(REPO_ROOT, 'scripts/py');
  const engineScript = resolve(REPO_ROOT, 'packages/blip-engine/bench/contender-engine.ts');
  const engineArgs = ['--follow-up', FOLLOW_UP, '--beam-reps', String(beamReps)];
  const contenders = [
    new ContenderProcess(
      'engine',
      process.execPath,
      ['--import', 'tsx', engineScript, ...common, ...engineArgs, '--serve', '--out', out('engine')],
      REPO_ROOT,
    ),
    ...['reference_pipeline', 'pytorch_generate'].map(
      (name) =>
        new ContenderProcess(
          name,
          python,
          [resolve(REPO_ROOT, `models/bench/${name}.py`), ...common, '--serve', '--out', out(name)],
          REPO_ROOT,
        ),
    ),
  ];
  try {
    console.log('[2/4] loading (a) our engine, (b) the reference pipeline, (c) PyTorch');
    await Promise.all(contenders.map((c) => c.ready()));
    console.log(`[3/4] ${reps} answers each, interleaved (the engine's also replays its floor, d)`);
    for (let i = 0; i < reps; i++) {
      for (let k = 0; k < contenders.length; k++) await contenders[(i + k) % contenders.length]?.answer(i);
      if ((i + 1) % 5 === 0 || i + 1 === reps) console.log(`  ${i + 1}/${reps}`);
    }
    for (const c of contenders) await c.end(); // the engine runs its 3-beam answers here, alone
  } finally {
    for (const c of contenders) c.kill();
  }
  const read = async <T>(name: string) => JSON.parse(await readFile(out(name), 'utf8')) as T;
  return summarizeContenders(
    await read<EngineReport>('engine'),
    await read<PythonReport>('reference_pipeline'),
    await read<PythonReport>('pytorch_generate'),
  );
}

/** Runs the comparison; null when the model folder is absent (skipped with a message). */
export async function runContendersBench(argv: string[]): Promise<ContendersSummary | null> {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      quick: { type: 'boolean' },
      model: { type: 'string' },
      reps: { type: 'string' },
      tokens: { type: 'string' },
      threads: { type: 'string' },
    },
  });
  const model = resolve(REPO_ROOT, (values.model as string | undefined) ?? DEFAULT_MODEL);
  if (!existsSync(model)) {
    console.log(
      `contenders bench skipped: ${relative(REPO_ROOT, model)} is absent (npm run models -- export ...)`,
    );
    return null;
  }
  const quick = Boolean(values.quick);
  const reps = Number(values.reps ?? (quick ? QUICK_REPS : FULL_REPS));
  const tokens = Number(values.tokens ?? 20);
  const threads = Number(values.threads ?? cpus().length);
  const load = loadavg()[0]?.toFixed(1) ?? '?';
  const when = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const work = await mkdtemp(join(tmpdir(), 'blip-contenders-'));
  try {
    console.log(`[1/4] ${reps} images; model ${relative(REPO_ROOT, model)}; load average ${load}`);
    await writeImages(join(work, 'images'), reps);
    const common = ['--model', model, '--images', join(work, 'images'), '--question', QUESTION];
    common.push('--tokens', String(tokens), '--threads', String(threads), '--reps', String(reps));
    const summary = await runContenders(work, common, reps, quick ? BEAM_REPS.quick : BEAM_REPS.full);
    // The 1-minute load average at the start and at the end: other work on the machine slows every figure.
    const loads = `${load} → ${loadavg()[0]?.toFixed(1) ?? '?'}`;
    const section = renderContenders(summary, {
      command: `npm run bench${quick ? ' -- --quick' : ''}`,
      model: relative(REPO_ROOT, model),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
      load: loads,
      when,
    });
    console.log(`[4/4] results\n\n${section}`);
    if (!quick) {
      await writeNamedSection(resolve(REPO_ROOT, 'BENCHMARKS.md'), TITLE, section);
      await mkdir(resolve(REPO_ROOT, 'artifacts/bench'), { recursive: true });
      await writeFile(
        resolve(REPO_ROOT, 'artifacts/bench/contenders.json'),
        JSON.stringify(summary, null, 2),
      );
      console.log(`written: BENCHMARKS.md (section "${TITLE}"), artifacts/bench/contenders.json`);
    }
    return summary;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runContendersBench(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`contenders bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
