// Our engine at its defaults against the reference tutorial as people run it (models/bench/tutorial_pipeline.py:
// every part compiled with no settings, HF generate() greedy), on the FP16 folder and, when given, the INT8 one.
// Every contender is its own process; each round sends one new image to all of them in turn (order rotating),
// for each workload, so a shared machine's drifting load falls on all alike. Ratios are medians of each round's
// own ratio. Writes BENCHMARKS.md "Against the tutorial at its defaults" (full runs only).
// Usage: npx tsx packages/blip-engine/bench/tutorial.ts [--quick] [--model DIR] [--int8 DIR] [--rounds N]
//   (--model defaults to $BLIP_BENCH_MODEL or models/blip-vqa-base-random; --int8 to $BLIP_BENCH_INT8_MODEL)
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  benchImage,
  benchModel,
  benchRun,
  countArg,
  loadNow,
  machineLine,
  median,
  ms,
  repoPath,
  writeNamedSection,
} from '@blip/testing/bench';
import { ContenderProcess } from './contender-process.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const QUESTION = 'how many objects are in the picture?';
const TITLE = 'Against the tutorial at its defaults';
/** What each round asks of every contender: the issue's three cases. */
const WORKLOADS = [
  { name: 'answer, 20 tokens', task: 'answer', tokens: 20 },
  { name: 'answer, 3 tokens', task: 'answer', tokens: 3 },
  { name: 'caption, 12 tokens', task: 'caption', tokens: 12 },
] as const;

type Sample = { totalMs: number };
/** Contender name → workload name → total ms per round. */
type Results = Map<string, Map<string, number[]>>;

function contenders(work: string, folders: { fp16: string; int8: string | null }): ContenderProcess[] {
  const images = join(work, 'images');
  const engine = (label: string, model: string) =>
    new ContenderProcess(
      label,
      process.execPath,
      [
        '--import',
        'tsx',
        resolve(REPO_ROOT, 'packages/blip-engine/bench/contender-defaults.ts'),
        '--model',
        model,
      ].concat(['--images', images, '--question', QUESTION, '--out', join(work, `${label}.json`)]),
      REPO_ROOT,
    );
  const tutorial = (label: string, model: string) =>
    new ContenderProcess(
      label,
      resolve(REPO_ROOT, 'scripts/py'),
      [resolve(REPO_ROOT, 'models/bench/tutorial_pipeline.py'), '--model', model, '--images', images].concat([
        '--question',
        QUESTION,
        '--serve',
        '--out',
        join(work, `${label}.json`),
      ]),
      REPO_ROOT,
    );
  const list = [tutorial('tutorial FP16', folders.fp16), engine('engine FP16', folders.fp16)];
  if (folders.int8) list.push(tutorial('tutorial INT8', folders.int8), engine('engine INT8', folders.int8));
  return list;
}

async function runRounds(list: ContenderProcess[], rounds: number): Promise<Results> {
  const results: Results = new Map(list.map((c) => [c.name, new Map(WORKLOADS.map((w) => [w.name, []]))]));
  for (const c of list) await c.ready(); // one at a time: loading side by side would slow every warm-up
  for (let i = 0; i < rounds; i++) {
    for (const [j, w] of WORKLOADS.entries()) {
      // Its own image per workload and round: the engine caches image embeddings, the tutorial does not, so a
      // shared image would let the engine skip the vision encoder for every workload after the first.
      const image = i * WORKLOADS.length + j;
      for (let k = 0; k < list.length; k++) {
        const c = list[(i + k) % list.length] as ContenderProcess;
        const sample = (await c.request(`${image} ${w.task} ${w.tokens}`)) as Sample;
        results.get(c.name)?.get(w.name)?.push(sample.totalMs);
      }
    }
    console.log(`  round ${i + 1}/${rounds}`);
  }
  return results;
}

/** Median of the per-round ratios a/b for one workload. */
function ratio(results: Results, a: string, b: string, workload: string): number {
  const xs = results.get(a)?.get(workload) ?? [];
  const ys = results.get(b)?.get(workload) ?? [];
  return median(xs.map((x, i) => x / (ys[i] as number)));
}

function render(results: Results, settings: Record<string, string>, run: Record<string, string>): string {
  const p50 = (name: string, w: string) => ms(median(results.get(name)?.get(w) ?? []));
  const int8 = results.has('engine INT8');
  const head = ['p50 ms (from JPEG bytes)', 'tutorial FP16', 'engine FP16', 'engine / tutorial'];
  if (int8)
    head.push('tutorial INT8', 'engine INT8', 'engine / tutorial (INT8)', 'engine INT8 / tutorial FP16');
  const rows = WORKLOADS.map(({ name }) => {
    const cells = [name, p50('tutorial FP16', name), p50('engine FP16', name)];
    cells.push(`**${ratio(results, 'engine FP16', 'tutorial FP16', name).toFixed(2)}×**`);
    if (int8) {
      cells.push(p50('tutorial INT8', name), p50('engine INT8', name));
      cells.push(`**${ratio(results, 'engine INT8', 'tutorial INT8', name).toFixed(2)}×**`);
      cells.push(`**${ratio(results, 'engine INT8', 'tutorial FP16', name).toFixed(2)}×**`);
    }
    return `| ${cells.join(' | ')} |`;
  });
  const ran = Object.entries(settings)
    .map(([name, precision]) => `${name} ${precision}`)
    .join(', ');
  return [
    `## ${TITLE}`,
    '',
    `Command: \`${run.command}\` (${run.when}) — ${run.models}; ${run.machine}, load average ${run.load}. ` +
      'The tutorial rebuilt as people run it (`models/bench/tutorial_pipeline.py`: `core.compile_model(xml, "CPU")` ' +
      'with no settings, Hugging Face `generate()` greedy over the decoder, cross K/V projected inside every step as ' +
      "the tutorial's one decoder graph does) against our engine loaded with no options (`Blip.load(folder)`). " +
      `Precision each ran at: ${ran}. Every call starts from JPEG bytes of a new 640×480 image; new tokens forced ` +
      `(min = max) so both do equal work. ${run.rounds} rounds, each sending every workload to every contender in ` +
      "turn (order rotating); ratios are the median of each round's own ratio.",
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows,
    '',
  ].join('\n');
}

export async function runTutorialBench(argv: string[]): Promise<Results | null> {
  const run = benchRun(argv, 'tutorial bench', { int8: { type: 'string' } });
  if (!run) return null;
  const { values, model: fp16 } = run;
  const int8Given = values.int8 ?? process.env.BLIP_BENCH_INT8_MODEL;
  const int8 = int8Given ? benchModel('tutorial bench', int8Given, {}) : null;
  if (int8Given && !int8) return null;
  const rounds = countArg(values.rounds, values.quick ? 1 : 6, 'rounds');
  const work = await mkdtemp(join(tmpdir(), 'blip-tutorial-'));
  const when = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const loadStart = loadNow().toFixed(1);
  await mkdir(join(work, 'images'));
  // One image per workload and round, and one more (the last) for the engine's warm-up.
  for (let i = 0; i <= rounds * WORKLOADS.length; i++)
    await writeFile(join(work, 'images', `${String(i).padStart(3, '0')}.jpg`), await benchImage(i));
  const list = contenders(work, { fp16, int8 });
  try {
    console.log(`[1/2] loading ${list.map((c) => c.name).join(', ')}; ${rounds} rounds`);
    const results = await runRounds(list, rounds);
    for (const c of list) await c.end();
    const settings: Record<string, string> = {};
    for (const c of list) {
      const report = JSON.parse(await readFile(join(work, `${c.name}.json`), 'utf8'));
      settings[c.name] = String(report.settings?.INFERENCE_PRECISION_HINT ?? '?');
    }
    const models = `FP16 \`${repoPath(fp16)}\`${int8 ? `, INT8 \`${repoPath(int8)}\`` : ''}`;
    const section = render(results, settings, {
      command: ['npx tsx packages/blip-engine/bench/tutorial.ts', ...argv].join(' '),
      when,
      models,
      machine: machineLine(),
      load: `${loadStart} → ${loadNow().toFixed(1)}`,
      rounds: String(rounds),
    });
    console.log(`[2/2] results\n\n${section}`);
    if (!values.quick) await writeNamedSection(resolve(REPO_ROOT, 'BENCHMARKS.md'), TITLE, section);
    return results;
  } finally {
    for (const c of list) c.kill();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runTutorialBench(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`tutorial bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
