// The BENCHMARKS.md section of bench/throughput.ts: a row per variant (median over rounds) and the goal
// ratios, each taken inside one round (so one load swing hits both sides) and then the median over rounds.
import { median, ms } from '@blip/testing/bench';

export type Workload = 'answer' | 'caption';

/** One measured level: a workload on one engine with some clients, in one round. */
export interface Level {
  workload: Workload;
  batching: 'on' | 'off';
  clients: number;
  round: number;
  wallMs: number;
  latencies: number[];
  count: number;
}

const perSecond = (l: Level) => (1000 * l.count) / l.wallMs;

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

export function renderThroughput(
  levels: Level[],
  run: { command: string; model: string; machine: string; loads: number[]; rounds: number },
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
  const four = Math.max(...levels.map((l) => l.clients));
  const gain = (workload: Workload, batching: 'on' | 'off') =>
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
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const answerGain = gain('answer', 'on');
  const captionGain = gain('caption', 'on');
  const lat = [latency('answer'), latency('caption')];
  return [
    '## Throughput: continuous batching',
    '',
    `Command: \`${run.command}\` (${new Date().toISOString().slice(0, 16)}Z) — model \`${run.model}\`, ${run.machine}, ` +
      `1-minute load average ${run.loads.map((l) => l.toFixed(1)).join(' → ')} (start, after each round). Through the ` +
      'Engine interface (`loadEngine`, as the API runs it): two engines on the folder, both at their defaults with ' +
      `concurrency ${four} (\`BLIP_CONCURRENCY=${four}\`), one with continuous batching and one without; ` +
      `${run.rounds} rounds, each running every variant once in an order that rotates between rounds. A client sends ` +
      "its requests one after another; answers are forced to 20 tokens about the client's own image, seen before " +
      '(its embeddings cached: text encoder, cross K/V and decoder run), captions to 12 tokens of new images ' +
      '(added beforehand like an upload; the vision encoder runs). Ratios are taken inside each round, then the ' +
      "median over rounds. The machine is shared (other helpers' tests and a training run): absolute figures move a " +
      'lot between runs, interleaved ratios much less.',
    '',
    '| workload | batching | clients | requests | per second (median of rounds) | latency p50 ms |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
    '',
    `- Answers about seen images, ${four} clients over 1, batching on: **${answerGain.toFixed(2)}×** (goal ≥ 2×: ${verdict(answerGain >= 2)}); without batching ${gain('answer', 'off').toFixed(2)}×; batching on over off at ${four} clients ${onOff('answer').toFixed(2)}×.`,
    `- Captions of new images, ${four} clients over 1, batching on: **${captionGain.toFixed(2)}×** (goal ≥ 1.3×: ${verdict(captionGain >= 1.3)}); without batching ${gain('caption', 'off').toFixed(2)}×; batching on over off at ${four} clients ${onOff('caption').toFixed(2)}×.`,
    `- Latency at 1 client, batching on over off: answers **${lat[0]?.toFixed(3)}×**, captions **${lat[1]?.toFixed(3)}×** (goal within ±5 %: ${verdict(lat.every((r) => Math.abs(r - 1) <= 0.05))}).`,
    '',
  ].join('\n');
}
