// Continuous-batching throughput, wherever it is measured (the Engine interface: packages/blip-engine/bench/
// throughput.ts; the real API: apps/api/bench/throughput.ts): the interleaved rounds both run, and the
// BENCHMARKS.md table and goal ratios. Every ratio is taken inside one round (one load swing hits both sides),
// then the median over rounds is reported.
import { loadNow } from './args.js';
import { median, ms } from './stats.js';

export type Workload = 'answer' | 'caption';
export type Batching = 'on' | 'off';

/** Answers forced to 20 tokens about seen images, captions to 12 tokens of new ones (issue 18's cases). */
export const THROUGHPUT_TOKENS: Record<Workload, number> = { answer: 20, caption: 12 };
export const THROUGHPUT_QUESTION = 'what is in the picture?';

/** What one level measures: a workload with batching on or off and some clients. */
export interface Variant {
  workload: Workload;
  batching: Batching;
  clients: number;
}

/** One measured level, in one round. */
export interface Level extends Variant {
  round: number;
  wallMs: number;
  latencies: number[];
  count: number;
}

const perSecond = (l: Level) => (1000 * l.count) / l.wallMs;

/**
 * Runs every variant once per round, the order rotating between rounds so no variant always runs first or
 * last; `measure` runs one level. Returns the levels and the load average at the start and after each round.
 */
export async function throughputRounds(
  variants: readonly Variant[],
  rounds: number,
  measure: (v: Variant) => Promise<{ wallMs: number; latencies: number[] }>,
): Promise<{ levels: Level[]; loads: number[] }> {
  const loads = [loadNow()];
  const levels: Level[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + round * 3) % variants.length] as Variant;
      const figures = await measure(v);
      levels.push({ ...v, round, ...figures, count: figures.latencies.length });
      console.log(
        `round ${round + 1}/${rounds} ${v.workload} batching ${v.batching} ${v.clients} client(s): ` +
          `${ms(figures.wallMs)} ms for ${figures.latencies.length}, p50 ${ms(median(figures.latencies))} ms`,
      );
    }
    loads.push(loadNow());
  }
  return { levels, loads };
}

/**
 * The images of one level, per client: for captions `each` new ones per client (`fresh`), for answers one
 * image of the client's own, made known once first (`seen`: a short caption, untimed) and asked about `each`
 * times, so its embeddings are cached.
 */
export async function levelImages<T>(
  v: Variant,
  each: number,
  fresh: (n: number) => Promise<T[]>,
  seen: (image: T) => Promise<unknown>,
): Promise<T[][]> {
  if (v.workload === 'caption') {
    const all = await fresh(v.clients * each);
    return Array.from({ length: v.clients }, (_, c) => all.slice(c * each, (c + 1) * each));
  }
  const own = await fresh(v.clients);
  for (const image of own) await seen(image);
  return own.map((image) => Array.from({ length: each }, () => image));
}

/** Every workload × batching × client count, in that order. */
export function throughputVariants(workloads: readonly Workload[], clients: readonly number[]): Variant[] {
  return workloads.flatMap((workload) =>
    (['on', 'off'] as const).flatMap((batching) => clients.map((n) => ({ workload, batching, clients: n }))),
  );
}

/** Median over rounds of f(level a of the round, level b of the round). */
function roundRatio(
  levels: Level[],
  a: Partial<Level>,
  b: Partial<Level>,
  f: (x: Level, y: Level) => number,
): number {
  const pick = (want: Partial<Level>, round: number) =>
    levels.find(
      (l) => l.round === round && Object.entries(want).every(([k, v]) => l[k as keyof Level] === v),
    );
  const rounds = [...new Set(levels.map((l) => l.round))];
  const ratios = rounds.flatMap((r) => {
    const x = pick(a, r);
    const y = pick(b, r);
    return x && y ? [f(x, y)] : [];
  });
  return median(ratios);
}

/** The goal ratios of issue 18, each the median over rounds of the ratio inside a round. */
export function throughputRatios(levels: Level[]) {
  const four = Math.max(...levels.map((l) => l.clients));
  const gain = (workload: Workload, batching: Batching) =>
    roundRatio(
      levels,
      { workload, batching, clients: four },
      { workload, batching, clients: 1 },
      (x, y) => perSecond(x) / perSecond(y),
    );
  const latency = (workload: Workload) =>
    roundRatio(
      levels,
      { workload, batching: 'on', clients: 1 },
      { workload, batching: 'off', clients: 1 },
      (x, y) => median(x.latencies) / median(y.latencies),
    );
  const onOff = (workload: Workload) =>
    roundRatio(
      levels,
      { workload, batching: 'on', clients: four },
      { workload, batching: 'off', clients: four },
      (x, y) => perSecond(x) / perSecond(y),
    );
  return { four, gain, latency, onOff };
}

/** The section: `title`, `how` (what was driven and how, after the command line), the table and the goals. */
export function renderThroughput(
  levels: Level[],
  run: { title: string; command: string; model: string; machine: string; loads: number[]; how: string },
): string {
  const rows: string[] = [];
  for (const workload of ['answer', 'caption'] as Workload[]) {
    for (const batching of ['on', 'off'] as const) {
      for (const clients of [...new Set(levels.map((l) => l.clients))]) {
        const mine = levels.filter(
          (l) => l.workload === workload && l.batching === batching && l.clients === clients,
        );
        if (mine.length === 0) continue;
        const rate = median(mine.map(perSecond));
        const p50 = median(mine.map((l) => median(l.latencies)));
        rows.push(
          `| ${workload === 'answer' ? 'answer, 20 tokens, image seen' : 'caption, 12 tokens, new image'} | ${batching} | ${clients} | ${mine.reduce((n, l) => n + l.count, 0)} | ${rate.toFixed(3)} | ${ms(p50)} |`,
        );
      }
    }
  }
  const { four, gain, latency, onOff } = throughputRatios(levels);
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const has = (w: Workload) => levels.some((l) => l.workload === w);
  const lat = (['answer', 'caption'] as const).filter(has).map(latency);
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
  return [
    `## ${run.title}`,
    '',
    `Command: \`${run.command}\` (${new Date().toISOString().slice(0, 16)}Z) — model \`${run.model}\`, ${run.machine}, ` +
      `1-minute load average ${run.loads.map((l) => l.toFixed(1)).join(' → ')} (start, after each round). ${run.how}`,
    '',
    '| workload | batching | clients | requests | per second (median of rounds) | latency p50 ms |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
    '',
    ...(has('answer')
      ? [
          `- Answers about seen images, ${four} clients over 1, batching on: **${fmt(gain('answer', 'on'))}×** (goal ≥ 2×: ${verdict(gain('answer', 'on') >= 2)}); without batching ${fmt(gain('answer', 'off'))}×; batching on over off at ${four} clients ${fmt(onOff('answer'))}×.`,
        ]
      : []),
    ...(has('caption')
      ? [
          `- Captions of new images, ${four} clients over 1, batching on: **${fmt(gain('caption', 'on'))}×** (goal ≥ 1.3×: ${verdict(gain('caption', 'on') >= 1.3)}); without batching ${fmt(gain('caption', 'off'))}×; batching on over off at ${four} clients ${fmt(onOff('caption'))}×.`,
        ]
      : []),
    `- Latency at 1 client, batching on over off: ${(['answer', 'caption'] as const)
      .filter(has)
      .map((w) => `${w}s **${latency(w).toFixed(3)}×**`)
      .join(', ')} (goal within ±5 %: ${verdict(lat.every((r) => Math.abs(r - 1) <= 0.05))}).`,
    '',
  ].join('\n');
}
