// `npm run bench` part 3: 1, 2, 4 and 8 concurrent clients through the real API, for each OpenVINO performance
// hint / streams / API concurrency setting tried; writes the BENCHMARKS.md section "Under load, through the API".
// Usage: tsx apps/api/bench/load.ts [--quick] [--model DIR] [--tokens N]
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peakRssMiB, startApi } from '@blip/testing';
import {
  benchArgsLenient,
  benchImage,
  benchModel,
  countArg,
  machineLine,
  repoPath,
  writeNamedSection,
} from '@blip/testing/bench';
import { REPO_ROOT } from '../src/config.js';
import { askOnce, runLevel, uploadImages } from './load-clients.js';
import { type LoadSetting, levelFigures, renderLoad, type SettingFigures } from './load-report.js';

const DEFAULT_MODEL = 'models/blip-vqa-base-random';
const QUESTION = 'how many objects are in the picture?';
const TITLE = 'Under load, through the API';
/** How long a server may take to load and warm up a large model before the benchmark gives up. */
const SERVER_START_TIMEOUT_MS = 300_000;

/** Settings tried on 2 cores: the default, two generations at once on one stream, and two streams. */
const FULL_SETTINGS: LoadSetting[] = [
  { hint: 'LATENCY', streams: 0, concurrency: 1, levels: [1, 2, 4, 8] },
  { hint: 'LATENCY', streams: 0, concurrency: 2, levels: [1, 2, 4, 8] },
  { hint: 'THROUGHPUT', streams: 2, concurrency: 2, levels: [1, 2, 4, 8] },
  { hint: 'THROUGHPUT', streams: 2, concurrency: 1, levels: [1, 4] },
];
const QUICK_SETTINGS: LoadSetting[] = [
  { hint: 'LATENCY', streams: 0, concurrency: 1, levels: [1, 2] },
  { hint: 'THROUGHPUT', streams: 2, concurrency: 2, levels: [1, 2] },
];
/** Questions per level: enough for a p95 to mean something, bounded in time. */
const answersFor = (clients: number, quick: boolean) => (quick ? clients : Math.max(6, 2 * clients));
const LEVEL_MAX_MS = { full: 60_000, quick: 20_000 };

/** One server with one setting: upload fresh images, warm up, run its levels, read its peak memory, stop. */
async function runSetting(model: string, setting: LoadSetting, tokens: number, quick: boolean, seed: number) {
  const env = {
    BLIP_MODELS: model,
    GRAPHIQL: 'false',
    SHUTDOWN_GRACE_MS: '0',
    BLIP_PERFORMANCE_HINT: setting.hint,
    BLIP_NUM_STREAMS: String(setting.streams),
    BLIP_CONCURRENCY: String(setting.concurrency),
    BLIP_MAX_QUEUE: '16',
    PREPARED_IMAGE_CACHE_SIZE: '64',
  };
  const server = await startApi({ env, timeoutMs: SERVER_START_TIMEOUT_MS });
  try {
    const needed = 1 + setting.levels.reduce((n, c) => n + answersFor(c, quick), 0);
    const bytes = [];
    for (let i = 0; i < needed; i++) bytes.push(await benchImage(seed + i));
    const ids = await uploadImages(server.url, bytes);
    const warm = await askOnce(server.url, 0, ids.shift() as string, QUESTION, tokens);
    if (!warm.ok) throw new Error(`warm-up answer failed: ${warm.error}`);
    const levels = [];
    for (const clients of setting.levels) {
      const maxAnswers = answersFor(clients, quick);
      const limits = { maxAnswers, maxMs: quick ? LEVEL_MAX_MS.quick : LEVEL_MAX_MS.full };
      const run = await runLevel(server.url, clients, ids.splice(0, maxAnswers), QUESTION, tokens, limits);
      levels.push(levelFigures(run));
      console.log(`  ${clients} client(s): ${JSON.stringify(levels.at(-1))}`);
    }
    return { setting, levels, serverPeakRssMiB: peakRssMiB(server.pid) };
  } finally {
    await server.stop();
  }
}

/** Runs every setting; null when the model folder is absent (skipped with a message). */
export async function runLoadBench(argv: string[]): Promise<SettingFigures[] | null> {
  const values = benchArgsLenient(argv, { model: { type: 'string' }, tokens: { type: 'string' } });
  const model = benchModel('load bench', typeof values.model === 'string' ? values.model : undefined, {
    path: DEFAULT_MODEL,
    hint: 'Make it with `npm run models -- export ...`',
  });
  if (!model) return null;
  const quick = Boolean(values.quick);
  const tokens = countArg(typeof values.tokens === 'string' ? values.tokens : undefined, 20, 'tokens');
  const load = loadavg()[0]?.toFixed(1) ?? '?';
  const when = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const settings = quick ? QUICK_SETTINGS : FULL_SETTINGS;
  const all: SettingFigures[] = [];
  for (const [i, setting] of settings.entries()) {
    console.log(`[${i + 1}/${settings.length}] ${JSON.stringify(setting)}`);
    all.push(await runSetting(model, setting, tokens, quick, 30_000 + i * 1000));
  }
  // The 1-minute load average at the start and at the end: other work on the machine slows every figure.
  const loads = `${load} → ${loadavg()[0]?.toFixed(1) ?? '?'}`;
  const section = renderLoad(all, {
    command: `npm run bench${quick ? ' -- --quick' : ''}`,
    model: repoPath(model),
    tokens,
    machine: machineLine(),
    load: loads,
    when,
    maxMs: quick ? LEVEL_MAX_MS.quick : LEVEL_MAX_MS.full,
  });
  console.log(`\n${section}`);
  if (!quick) {
    await writeNamedSection(resolve(REPO_ROOT, 'BENCHMARKS.md'), TITLE, section);
    await mkdir(resolve(REPO_ROOT, 'artifacts/bench'), { recursive: true });
    await writeFile(resolve(REPO_ROOT, 'artifacts/bench/load.json'), JSON.stringify(all, null, 2));
    console.log(`written: BENCHMARKS.md (section "${TITLE}"), artifacts/bench/load.json`);
  }
  return all;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runLoadBench(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`load bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
