// `npx tsx apps/api/bench/throughput.ts [--quick] [--model DIR] [--rounds N] [--pairs N] [--workloads answer,caption]`:
// continuous batching through the real API (issue 18's "through the API"): two API servers as child processes
// on the folder, both with BLIP_CONCURRENCY=4, one with BLIP_DECODER_BATCHING=true and one with false. Clients
// are plain fetch + SSE (`answerStream`/`captionStream`, load-clients.ts), each sending its requests one after
// another: 20-token answers about the client's own image (uploaded and captioned once, untimed: its embeddings
// are cached) and 12-token captions of freshly uploaded images (the vision encoder runs). 1 and 4 clients on
// each server, in rounds whose order rotates (@blip/testing/bench throughputRounds, the same rounds and table as
// the Engine-level packages/blip-engine/bench/throughput.ts). Writes BENCHMARKS.md "Throughput through the API"
// (full runs only).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ApiProcess, cpuMs, peakRssMiB, startApi } from '@blip/testing';
import {
  benchImage,
  benchRun,
  countArg,
  type Level,
  levelImages,
  loadNow,
  machineLine,
  median,
  ms,
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
import { REPO_ROOT } from '../src/config.js';
import { streamOnce, uploadImages } from './load-clients.js';

const TITLE = 'Throughput through the API';
const CONCURRENCY = 4;
/** How long a server may take to load and warm up a full-size model. */
const SERVER_START_TIMEOUT_MS = 300_000;
/** Paired 1-client requests per workload after the rounds (full runs). */
const PAIRS = 10;

let nextSeed = 60_000;

/** Uploads `n` fresh images (the upload's decode and resize are not timed). */
async function fresh(url: string, n: number): Promise<string[]> {
  const bytes: Uint8Array[] = [];
  for (let i = 0; i < n; i++) bytes.push(await benchImage(nextSeed++));
  return uploadImages(url, bytes);
}

/** A level's image ids per client (@blip/testing/bench levelImages), uploaded over HTTP. */
function levelIds(url: string, v: Variant, each: number): Promise<string[][]> {
  const seen = (imageId: string) => check(streamOnce(url, 0, { imageId }, 2));
  return levelImages(v, each, (n) => fresh(url, n), seen);
}

async function check<T extends { ok: boolean; error?: string }>(answer: Promise<T>): Promise<T> {
  const got = await answer;
  if (!got.ok) throw new Error(`a request was refused (${got.error}): the bench's queue is too short`);
  return got;
}

/** The clients of one level, each sending its requests one after another; the level's wall time. */
async function level(url: string, workload: Workload, images: string[][]) {
  const latencies: number[] = [];
  const question = workload === 'answer' ? THROUGHPUT_QUESTION : undefined;
  const start = performance.now();
  await Promise.all(
    images.map(async (mine, c) => {
      for (const imageId of mine) {
        const got = await check(streamOnce(url, c + 1, { imageId, question }, THROUGHPUT_TOKENS[workload]));
        latencies.push(got.totalMs);
      }
    }),
  );
  return { wallMs: performance.now() - start, latencies };
}

/**
 * 1-client latency, batching on over off, paired request by request (the order alternating): whole levels of a
 * few seconds each still catch different load swings on a shared machine, one pair of requests much less.
 * Ratios per pair and both sides' latencies, for one workload.
 */
async function pairedLatency(
  servers: { on: ApiProcess; off: ApiProcess },
  workload: Workload,
  pairs: number,
) {
  const sides = ['on', 'off'] as const;
  const urls = { on: servers.on.url, off: servers.off.url };
  const own =
    workload === 'answer'
      ? await Promise.all(sides.map((b) => levelIds(urls[b], { workload, batching: b, clients: 1 }, 1)))
      : null;
  const question = workload === 'answer' ? THROUGHPUT_QUESTION : undefined;
  const times = { on: [] as number[], off: [] as number[] };
  // The server's CPU time per request: work, where the wall time also holds waiting (for a core, a thread, I/O).
  const cpu = { on: [] as number[], off: [] as number[] };
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const seed = nextSeed++;
    const took = { on: 0, off: 0 };
    for (const b of i % 2 ? (['off', 'on'] as const) : sides) {
      const url = urls[b];
      const imageId = own
        ? (own[b === 'on' ? 0 : 1]?.[0]?.[0] as string)
        : ((await uploadImages(url, [await benchImage(seed)]))[0] as string);
      const cpuBefore = cpuMs(servers[b].pid);
      took[b] = (await check(streamOnce(url, 1, { imageId, question }, THROUGHPUT_TOKENS[workload]))).totalMs;
      times[b].push(took[b]);
      cpu[b].push(cpuMs(servers[b].pid) - cpuBefore);
    }
    ratios.push(took.on / took.off);
  }
  return { ratios, times, cpu };
}

function server(model: string, batching: boolean): Promise<ApiProcess> {
  const env = {
    BLIP_MODELS: model,
    GRAPHIQL: 'false',
    SHUTDOWN_GRACE_MS: '0',
    LOG_LEVEL: 'warn',
    BLIP_CONCURRENCY: String(CONCURRENCY),
    BLIP_DECODER_BATCHING: String(batching),
    BLIP_MAX_QUEUE: '64',
    BLIP_IMAGE_CACHE_SIZE: '64',
    PREPARED_IMAGE_CACHE_SIZE: '64',
    // A caption of a new image runs the vision encoder inside the timed request, as issue 18 measures it (a
    // folder with image-text parts would otherwise run it at upload, when a slot is free).
    SEARCH_VECTORS_AT_UPLOAD: 'false',
  };
  return startApi({ env, timeoutMs: SERVER_START_TIMEOUT_MS });
}

/** Runs the rounds; the levels, or null when the model folder is absent (skipped with a message). */
export async function runApiThroughput(argv: string[]): Promise<Level[] | null> {
  const run0 = benchRun(argv, 'API throughput bench', {
    workloads: { type: 'string' },
    pairs: { type: 'string' },
  });
  if (!run0) return null;
  const { values, model } = run0;
  const rounds = countArg(values.rounds, values.quick ? 1 : 3, 'rounds');
  const pairs = countArg(values.pairs, values.quick ? 1 : PAIRS, 'pairs');
  const each: Record<number, number> = { 1: values.quick ? 1 : 3, [CONCURRENCY]: values.quick ? 1 : 2 };
  const workloads = (values.workloads ?? 'answer,caption').split(',') as Workload[];
  const servers = { on: await server(model, true), off: await server(model, false) };
  let run: Awaited<ReturnType<typeof throughputRounds>>;
  const rss: string[] = [];
  const pairedLines: string[] = [];
  try {
    run = await throughputRounds(throughputVariants(workloads, [1, CONCURRENCY]), rounds, async (v) => {
      const { url } = servers[v.batching];
      return level(url, v.workload, await levelIds(url, v, each[v.clients] as number));
    });
    for (const workload of workloads) {
      const paired = await pairedLatency(servers, workload, pairs);
      const cpuSum = (b: 'on' | 'off') => paired.cpu[b].reduce((a, c) => a + c, 0);
      pairedLines.push(
        `- Latency at 1 client, batching on over off, ${paired.ratios.length} requests each paired one by one ` +
          `(order alternating): ${workload}s **${median(paired.ratios).toFixed(3)}×** (median of the pairs' ratios; ` +
          `p50 ${ms(median(paired.times.on))} vs ${ms(median(paired.times.off))} ms; the servers' CPU time over all ` +
          `requests on over off ${(cpuSum('on') / cpuSum('off')).toFixed(3)}×, ${ms(cpuSum('on'))} vs ` +
          `${ms(cpuSum('off'))} ms; load ${loadNow().toFixed(1)} after).`,
      );
      console.log(pairedLines.at(-1));
    }
    for (const [name, s] of Object.entries(servers)) rss.push(`${name} ${peakRssMiB(s.pid) ?? '?'} MiB`);
  } finally {
    await Promise.all([servers.on.stop(), servers.off.stop()]);
  }
  const section = renderThroughput(run.levels, {
    title: TITLE,
    command: ['npx tsx apps/api/bench/throughput.ts', ...argv].join(' '),
    model: repoPath(model),
    machine: machineLine(),
    loads: run.loads,
    how:
      `Through the real API: two servers (\`apps/api/src/main.ts\` as child processes), both at their defaults with ` +
      `\`BLIP_CONCURRENCY=${CONCURRENCY}\`, one with \`BLIP_DECODER_BATCHING=true\` and one with \`false\` ` +
      `(peak RSS: ${rss.join(', ')}). Clients are fetch + SSE (\`answerStream\`, \`captionStream\`), all over HTTP ` +
      "on 127.0.0.1, each sending its requests one after another; answers are forced to 20 tokens about the client's " +
      'own image, uploaded and captioned once before the level (its embeddings cached), captions to 12 tokens of ' +
      'images uploaded just before the level (the vision encoder runs). Latency is what the client saw, request ' +
      `to completion. ${rounds} rounds, each running every variant once in an order that rotates between rounds; ` +
      'ratios are taken inside each round, then the median over rounds.',
  });
  const full = `${section.trimEnd()}\n${pairedLines.join('\n')}\n`;
  console.log(full);
  if (!values.quick) await writeNamedSection(resolve(REPO_ROOT, 'BENCHMARKS.md'), TITLE, full);
  return run.levels;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runApiThroughput(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`API throughput bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  });
}
