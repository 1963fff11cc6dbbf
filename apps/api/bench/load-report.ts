// Level runs → answers/s, TTFT and full-answer percentiles per setting and client count; the BENCHMARKS.md section.
import { percentile } from '@blip/testing/bench';
import type { LevelRun } from './load-clients.js';

/** An OpenVINO / API setting tried under load. */
export interface LoadSetting {
  hint: 'LATENCY' | 'THROUGHPUT';
  /** 0 = the hint's choice. */
  streams: number;
  /** BLIP_CONCURRENCY: generations the API runs at once. */
  concurrency: number;
  /** Client counts run with this setting. */
  levels: number[];
}

/** The figures of one level. */
export interface LevelFigures {
  clients: number;
  answered: number;
  refused: Record<string, number>;
  answersPerSecond: number;
  ttftP50: number;
  ttftP95: number;
  fullP50: number;
  fullP95: number;
}

/** One setting's levels, and the server's peak memory. */
export interface SettingFigures {
  setting: LoadSetting;
  levels: LevelFigures[];
  serverPeakRssMiB: number | null;
}

/** Figures of a level: answers/s counts completed answers over the level's wall time. */
export function levelFigures(run: LevelRun): LevelFigures {
  const ok = run.answers.filter((a) => a.ok);
  const refused: Record<string, number> = {};
  for (const a of run.answers)
    if (!a.ok) refused[a.error ?? 'ERROR'] = (refused[a.error ?? 'ERROR'] ?? 0) + 1;
  return {
    clients: run.clients,
    answered: ok.length,
    refused,
    answersPerSecond: (ok.length / run.wallMs) * 1000,
    ttftP50: percentile(
      ok.map((a) => a.firstTokenMs),
      50,
    ),
    ttftP95: percentile(
      ok.map((a) => a.firstTokenMs),
      95,
    ),
    fullP50: percentile(
      ok.map((a) => a.totalMs),
      50,
    ),
    fullP95: percentile(
      ok.map((a) => a.totalMs),
      95,
    ),
  };
}

/** A setting's name for tables. */
export const settingName = (s: LoadSetting) =>
  `${s.hint}, ${s.streams === 0 ? 'streams by hint' : `${s.streams} stream${s.streams > 1 ? 's' : ''}`}, API concurrency ${s.concurrency}`;

/** answers/s at `clients` over answers/s at 1 client of the same setting (null when either is missing). */
export function scaling(figures: SettingFigures, clients: number): number | null {
  const at = (c: number) => figures.levels.find((l) => l.clients === c)?.answersPerSecond;
  const one = at(1);
  const many = at(clients);
  return one && many ? many / one : null;
}

/** The best answers/s at 4 clients over the best at 1 client, any setting: a setting that is slow alone
 * cannot pass the goal by scaling from a poor start. */
function overall(all: SettingFigures[]): string {
  const best = (clients: number) =>
    Math.max(
      0,
      ...all.flatMap((s) => s.levels.filter((l) => l.clients === clients).map((l) => l.answersPerSecond)),
    );
  const [one, four] = [best(1), best(4)];
  if (!one || !four) return '';
  const r = four / one;
  return `- Best answers/s at 4 clients over the best at 1 client, any setting: **${r.toFixed(2)}×** (goal ≥ 1.5×: ${r >= 1.5 ? 'met' : '**MISSED**'}).`;
}

const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

/** The BENCHMARKS.md section. */
export function renderLoad(
  all: SettingFigures[],
  ctx: {
    command: string;
    model: string;
    tokens: number;
    machine: string;
    load: string;
    when: string;
    maxMs: number;
  },
): string {
  const baseline = all[0]?.levels.find((l) => l.clients === 1)?.answersPerSecond ?? Number.NaN;
  const rows = all.flatMap((s) =>
    s.levels.map((l) => {
      const refused = Object.entries(l.refused)
        .map(([code, n]) => `${n} ${code}`)
        .join(', ');
      return `| ${settingName(s.setting)} | ${l.clients} | ${l.answered}${refused ? ` (+${refused})` : ''} | ${l.answersPerSecond.toFixed(3)} | ${(l.answersPerSecond / baseline).toFixed(2)}× | ${f1(l.ttftP50)} | ${f1(l.ttftP95)} | ${f1(l.fullP50)} | ${f1(l.fullP95)} |`;
    }),
  );
  const goals = all
    .map((s) => ({ s, r: scaling(s, 4) }))
    .filter((x) => x.r !== null)
    .map(
      ({ s, r }) =>
        `- ${settingName(s.setting)}: answers/s at 4 clients over 1 client **${(r as number).toFixed(2)}×** (goal ≥ 1.5×: ${(r as number) >= 1.5 ? 'met' : '**MISSED**'}); server peak RSS ${s.serverPeakRssMiB?.toFixed(0) ?? '–'} MiB.`,
    );
  const best = all
    .filter((s) => s.levels.some((l) => l.clients === 4))
    .sort(
      (a, b) =>
        (b.levels.find((l) => l.clients === 4)?.answersPerSecond ?? 0) -
        (a.levels.find((l) => l.clients === 4)?.answersPerSecond ?? 0),
    )[0];
  return [
    '## Under load, through the API',
    '',
    `Command: \`${ctx.command}\` — the real API (\`apps/api/src/main.ts\`, a child process on 127.0.0.1, fresh data ` +
      `directory) with \`BLIP_MODELS=${ctx.model}\`; per setting one server. Clients ask over SSE (\`answerStream\`), each ` +
      `question about an image nobody asked about before (uploaded beforehand, so the vision encoder runs every time), ` +
      `${ctx.tokens} forced new tokens (min = max). A level runs a bounded number of questions (at most ` +
      `${Math.round(ctx.maxMs / 1000)} s of starting new ones). Times are as the client sees them, ms. Answers/s = completed ` +
      `answers over the level's wall time. Run of ${ctx.when} on ${ctx.machine}; load average (1 min, start → end) ${ctx.load}.`,
    '',
    '| setting | clients | answered | answers/s | vs 1 client, first setting | TTFT p50 | TTFT p95 | full p50 | full p95 |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    ...goals,
    best ? `- Most answers/s at 4 clients: **${settingName(best.setting)}**.` : '',
    overall(all),
    '',
  ].join('\n');
}
