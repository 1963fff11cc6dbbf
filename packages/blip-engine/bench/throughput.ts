// `npx tsx packages/blip-engine/bench/throughput.ts [--quick] [--model <folder>] [--rounds N] [--workloads answer,caption]`: continuous
// batching through the Engine interface (loadEngine, as the API uses it). Two engines on the same folder, both
// with concurrency 4 (BLIP_CONCURRENCY=4) and defaults otherwise, one with batching and one without. Per round,
// for each workload — 20-token answers about images already seen (embeddings cached), captions (12 tokens) of
// new images — 1 client and 4 clients on each engine, the order rotating between rounds so load swings hit
// every variant. Ratios are taken inside a round and the median over rounds is reported; writes BENCHMARKS.md
// "Throughput: continuous batching" (full runs only).
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchImage, median, ms, writeNamedSection } from '@blip/testing/bench';
import type { Engine, ImageRef } from '../src/engine/engine.js';
import { loadEngine } from '../src/engine/local-engine.js';
import { type Level, renderThroughput, type Workload } from './throughput-report.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const QUESTION = 'what is in the picture?';
const CONCURRENCY = 4;
const ANSWER = { minNewTokens: 20, maxNewTokens: 20 };
const CAPTION = { minNewTokens: 12, maxNewTokens: 12 };

/** Fresh bench images, each added to the engine (decoded and prepared: the upload's work, not timed). */
async function images(engine: Engine, seeds: number[]): Promise<ImageRef[]> {
  const refs: ImageRef[] = [];
  for (const seed of seeds) {
    const bytes = await benchImage(seed);
    const info = await engine.addImage(bytes);
    refs.push({ key: info.key, load: async () => bytes });
  }
  return refs;
}

/** `clients` workers, each running its requests one after another; wall time of the whole level. */
async function level(
  engine: Engine,
  workload: Workload,
  clients: number,
  refs: ImageRef[][],
): Promise<{ wallMs: number; latencies: number[] }> {
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (const image of refs[c] ?? []) {
        const began = performance.now();
        const request =
          workload === 'answer'
            ? { task: 'answer' as const, image, question: QUESTION, options: ANSWER }
            : { task: 'caption' as const, image, options: CAPTION };
        await engine.run(request);
        latencies.push(performance.now() - began);
      }
    }),
  );
  return { wallMs: performance.now() - start, latencies };
}

let nextSeed = 1000;
const seeds = (n: number) => Array.from({ length: n }, () => nextSeed++);

/** One level's images: answers ask about each client's own image (seen once before, untimed); captions get new ones. */
async function levelImages(engine: Engine, workload: Workload, clients: number, each: number) {
  if (workload === 'caption') {
    const all = await images(engine, seeds(clients * each));
    return Array.from({ length: clients }, (_, c) => all.slice(c * each, (c + 1) * each));
  }
  const own = await images(engine, seeds(clients));
  for (const image of own) await engine.run({ task: 'caption', image, options: { maxNewTokens: 2 } });
  return own.map((image) => Array.from({ length: each }, () => image));
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      model: { type: 'string' },
      rounds: { type: 'string' },
      workloads: { type: 'string' },
    },
  });
  const model = resolve(
    REPO_ROOT,
    values.model ?? process.env.BLIP_BENCH_MODEL ?? 'models/blip-vqa-base-random',
  );
  if (!existsSync(model)) {
    console.log(`throughput bench skipped: ${relative(REPO_ROOT, model)} is absent`);
    return;
  }
  const rounds = Number(values.rounds ?? (values.quick ? 1 : 3));
  const each = { 1: values.quick ? 1 : 3, [CONCURRENCY]: values.quick ? 1 : 2 } as Record<number, number>;
  const common = {
    models: [model],
    concurrency: CONCURRENCY,
    maxQueue: 64,
    preparedCacheSize: 64,
    imageCacheSize: 64,
  };
  const engines = {
    on: await loadEngine({ ...common, batching: true }),
    off: await loadEngine({ ...common, batching: false }),
  };
  const loads = [loadavg()[0] ?? 0];
  const levels: Level[] = [];
  try {
    const variants = ((values.workloads ?? 'answer,caption').split(',') as Workload[]).flatMap((workload) =>
      (['on', 'off'] as const).flatMap((batching) =>
        [1, CONCURRENCY].map((clients) => ({ workload, batching, clients })),
      ),
    );
    for (let round = 0; round < rounds; round++) {
      // Rotate the order every round: no variant always runs first or last.
      const order = variants.map(
        (_, i) => variants[(i + round * 3) % variants.length] as (typeof variants)[number],
      );
      for (const v of order) {
        const engine = engines[v.batching];
        const refs = await levelImages(engine, v.workload, v.clients, each[v.clients] as number);
        const figures = await level(engine, v.workload, v.clients, refs);
        levels.push({ ...v, round, ...figures, count: figures.latencies.length });
        console.log(
          `round ${round + 1}/${rounds} ${v.workload} batching ${v.batching} ${v.clients} client(s): ` +
            `${ms(figures.wallMs)} ms for ${figures.latencies.length}, p50 ${ms(median(figures.latencies))} ms`,
        );
      }
      loads.push(loadavg()[0] ?? 0);
    }
  } finally {
    await engines.on.dispose();
    await engines.off.dispose();
  }
  const command = ['npx tsx packages/blip-engine/bench/throughput.ts', ...argv].join(' ');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`;
  const section = renderThroughput(levels, {
    command,
    model: relative(REPO_ROOT, model),
    machine,
    loads,
    rounds,
  });
  console.log(section);
  if (!values.quick)
    await writeNamedSection(resolve(REPO_ROOT, 'BENCHMARKS.md'), 'Throughput: continuous batching', section);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  });
}
