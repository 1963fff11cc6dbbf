// `npx tsx packages/blip-engine/bench/throughput.ts [--quick] [--model <folder>] [--rounds N] [--workloads answer,caption]`: continuous
// batching through the Engine interface (loadEngine, as the API uses it). Two engines on the same folder, both
// with concurrency 4 (BLIP_CONCURRENCY=4) and defaults otherwise, one with batching and one without. Per round,
// for each workload — 20-token answers about images already seen (embeddings cached), captions (12 tokens) of
// new images — 1 client and 4 clients on each engine, the order rotating between rounds so load swings hit
// every variant (@blip/testing/bench throughputRounds). The same measurement through the real API:
// apps/api/bench/throughput.ts. Writes BENCHMARKS.md "Throughput: continuous batching" (full runs only).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  benchImage,
  benchRun,
  countArg,
  levelImages,
  machineLine,
  renderThroughput,
  repoPath,
  THROUGHPUT_QUESTION,
  THROUGHPUT_TOKENS,
  throughputRounds,
  throughputVariants,
  type Variant,
  type Workload,
  writeNamedSection,
} from '@blip/testing/bench';
import type { Engine, ImageRef } from '../src/engine/engine.js';
import { loadEngine } from '../src/engine/local-engine.js';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const TITLE = 'Throughput: continuous batching';
const CONCURRENCY = 4;

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
async function level(engine: Engine, workload: Workload, refs: ImageRef[][]) {
  const latencies: number[] = [];
  const tokens = THROUGHPUT_TOKENS[workload];
  const options = { minNewTokens: tokens, maxNewTokens: tokens };
  const start = performance.now();
  await Promise.all(
    refs.map(async (mine) => {
      for (const image of mine) {
        const began = performance.now();
        await engine.run(
          workload === 'answer'
            ? { task: 'answer', image, question: THROUGHPUT_QUESTION, options }
            : { task: 'caption', image, options },
        );
        latencies.push(performance.now() - began);
      }
    }),
  );
  return { wallMs: performance.now() - start, latencies };
}

let nextSeed = 1000;
const seeds = (n: number) => Array.from({ length: n }, () => nextSeed++);

async function main(argv: string[]): Promise<void> {
  const run0 = benchRun(argv, 'throughput bench', { workloads: { type: 'string' } });
  if (!run0) return;
  const { values, model } = run0;
  const rounds = countArg(values.rounds, values.quick ? 1 : 3, 'rounds');
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
  const workloads = (values.workloads ?? 'answer,caption').split(',') as Workload[];
  const measure = async (v: Variant) => {
    const engine = engines[v.batching];
    const fresh = (n: number) => images(engine, seeds(n));
    const seen = (image: ImageRef) => engine.run({ task: 'caption', image, options: { maxNewTokens: 2 } });
    return level(engine, v.workload, await levelImages(v, each[v.clients] as number, fresh, seen));
  };
  let run: Awaited<ReturnType<typeof throughputRounds>>;
  try {
    run = await throughputRounds(throughputVariants(workloads, [1, CONCURRENCY]), rounds, measure);
  } finally {
    await engines.on.dispose();
    await engines.off.dispose();
  }
  const section = renderThroughput(run.levels, {
    title: TITLE,
    command: ['npx tsx packages/blip-engine/bench/throughput.ts', ...argv].join(' '),
    model: repoPath(model),
    machine: machineLine(),
    loads: run.loads,
    how:
      'Through the Engine interface (`loadEngine`, as the API runs it): two engines on the folder, both at their ' +
      `defaults with concurrency ${CONCURRENCY} (\`BLIP_CONCURRENCY=${CONCURRENCY}\`), one with continuous batching and ` +
      `one without; ${rounds} rounds, each running every variant once in an order that rotates between rounds. A ` +
      "client sends its requests one after another; answers are forced to 20 tokens about the client's own image, " +
      'seen before (its embeddings cached: text encoder, cross K/V and decoder run), captions to 12 tokens of new ' +
      'images (added beforehand like an upload; the vision encoder runs). Ratios are taken inside each round, then ' +
      'the median over rounds.',
  });
  console.log(section);
  if (!values.quick) await writeNamedSection(resolve(REPO_ROOT, 'BENCHMARKS.md'), TITLE, section);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  });
}
