// One line per evaluation set (answer accuracy last), and the confidence threshold's calibration figures.

import type { Outcome } from './run-eval.js';
import { percent, type Tally } from './score.js';
import type { EvalSet } from './sets.js';

/** Share of outcomes passing `keep`, as a tally. */
function share(outcomes: Outcome[], keep: (o: Outcome) => boolean): Tally {
  return { right: outcomes.filter(keep).length, total: outcomes.length };
}

const fmt = (t: Tally) => `${percent(t)} (${t.right}/${t.total})`;

/** Whether an outcome counts as confident: at or above the threshold (always, without a threshold or confidence). */
export function confident(o: Outcome, threshold: number | null): boolean {
  return threshold === null || o.confidence === null || o.confidence >= threshold;
}

/** The set's line: per-type figures the issue names, threshold figures when there is one, then answers overall. */
export function setLine(set: EvalSet, outcomes: Outcome[], threshold: number | null): string {
  const answers = outcomes.filter((o) => o.type !== 'caption');
  const captions = outcomes.filter((o) => o.type === 'caption');
  const parts: string[] = [];
  if (set.outside) {
    const flagged = (o: Outcome) => o.right || !confident(o, threshold);
    parts.push(`honest or below threshold ${fmt(share(answers, flagged))}`);
    if (captions.length) parts.push(`captions honest ${fmt(share(captions, (o) => o.right))}`);
  } else {
    for (const type of ['relation', 'describe']) {
      const rows = answers.filter((o) => o.type === type);
      if (rows.length) parts.push(`${type} ${fmt(share(rows, (o) => o.right))}`);
    }
    if (captions.length) parts.push(`captions ${fmt(share(captions, (o) => o.right))}`);
    if (threshold !== null) {
      const right = answers.filter((o) => o.right);
      parts.push(`right answers above threshold ${fmt(share(right, (o) => confident(o, threshold)))}`);
    }
  }
  parts.push(`answers ${fmt(share(answers, (o) => o.right))}`);
  return `${set.name} [${set.label}]: ${parts.join(' · ')}`;
}

/**
 * The lowest of the in-world sets' own thresholds, each the confidence below which `quantile` of that set's right
 * answers fall (null when none has a confidence). Per set, because pooled the easy sets hide a hard one: at the pooled
 * 3 % quantile held-out phrasings kept only 91.8 % of their right answers above it.
 */
export function thresholdFor(inWorldSets: Outcome[][], quantile: number): number | null {
  const perSet = inWorldSets.map((outcomes) => setQuantile(outcomes, quantile)).filter((t) => t !== null);
  return perSet.length ? Math.min(...perSet) : null;
}

function setQuantile(outcomes: Outcome[], quantile: number): number | null {
  const values = outcomes
    .filter((o) => o.right && o.confidence !== null && o.type !== 'caption')
    .map((o) => o.confidence as number)
    .sort((a, b) => a - b);
  if (values.length === 0) return null;
  return values[Math.floor(quantile * (values.length - 1))] as number;
}

/** How right and wrong answers fall on each side of the threshold, in world and outside. */
export function calibrationTable(inWorld: Outcome[], outside: Outcome[], threshold: number): string {
  const answers = inWorld.filter((o) => o.type !== 'caption');
  const rows: [string, Outcome[]][] = [
    ['in-world right answers', answers.filter((o) => o.right)],
    ['in-world wrong answers', answers.filter((o) => !o.right)],
    ['outside: honest answers', outside.filter((o) => o.type !== 'caption' && o.right)],
    ['outside: other answers', outside.filter((o) => o.type !== 'caption' && !o.right)],
  ];
  const lines = [`threshold ${threshold.toFixed(4)}`, '| outputs | above | below |', '|---|---:|---:|'];
  for (const [name, list] of rows) {
    const above = share(list, (o) => confident(o, threshold));
    lines.push(
      `| ${name} | ${fmt(above)} | ${fmt({ right: above.total - above.right, total: above.total })} |`,
    );
  }
  return lines.join('\n');
}
