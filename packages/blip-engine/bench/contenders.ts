// `npm run bench` part 2: our engine against the reference Python pipeline, PyTorch generate() and the bare
// OpenVINO floor, each contender in its own process on the same images; writes the BENCHMARKS.md section
// "Against the reference pipeline, PyTorch and the floor" (full runs only).
// Usage: tsx packages/blip-engine/bench/contenders.ts [--quick] [--model DIR] [--reps N] [--tokens N] [--threads N]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { EngineReport } from './contender-engine.js';
import {
  type ContendersSummary,
  type PythonReport,
  renderContenders,
  summarizeContenders,
} from './contenders-report.js';
import { benchImage } from './images.js';
import { writeNamedSection } from './section.js';

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

/** Runs a child process to completion; rejects with its exit code (its stderr is passed through). */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0
        ? done()
        : fail(new Error(`${relative(REPO_ROOT, args[2] ?? args[0] ?? command)} exited with ${code}`)),
    );
  });
}

/** Writes `count` distinct 640×480 JPEG scenes, one per answer, so no contender ever sees an image twice. */
async function writeImages(folder: string, count: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i++)
    await writeFile(join(folder, `${String(i).padStart(3, '0')}.jpg`), await benchImage(i));
}

/** Runs the three contender processes one after the other and reads their reports. */
async function runContenders(work: string, common: string[], beamReps: number) {
  const out = (name: string) => join(work, `${name}.json`);
  const python = resolve(REPO_ROOT, 'scripts/py');
  console.log('[2/4] (a) our engine and (d) the floor');
  await run(process.execPath, [
    '--import',
    'tsx',
    resolve(REPO_ROOT, 'packages/blip-engine/bench/contender-engine.ts'),
    ...common,
    '--follow-up',
    FOLLOW_UP,
    '--beam-reps',
    String(beamReps),
    '--out',
    out('engine'),
  ]);
  console.log('[3/4] (b) the reference pipeline, (c) PyTorch generate()');
  for (const name of ['reference_pipeline', 'pytorch_generate'])
    await run(python, [resolve(REPO_ROOT, `models/bench/${name}.py`), ...common, '--out', out(name)]);
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
    const summary = await runContenders(work, common, quick ? BEAM_REPS.quick : BEAM_REPS.full);
    const section = renderContenders(summary, {
      command: `npm run bench${quick ? ' -- --quick' : ''}`,
      model: relative(REPO_ROOT, model),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
      load,
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
