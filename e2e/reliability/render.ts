// Renders the reliability report from artifacts/reliability/results.jsonl (written by the suite's tests): one table
// of every case with expected and observed outcome, then the figures, area by area. It goes to the git-ignored
// artifacts/reliability/RELIABILITY.md; with --write-report also to the committed RELIABILITY.md at the repo root.
// Usage: node --import tsx e2e/reliability/render.ts [--write-report]   (run.sh runs it after the suite;
// `npm run reliability:report` re-renders RELIABILITY.md from the last run)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CaseRow, type FigureRow, REPO, RESULTS_FILE } from './results.js';

/** The committed report, written only on request (`npm run reliability` / `npm run reliability:report`). */
export const REPORT_FILE = resolve(REPO, 'RELIABILITY.md');
/** Every run's report, beside its results. */
export const RUN_REPORT_FILE = resolve(dirname(RESULTS_FILE), 'RELIABILITY.md');

/** Text safe inside a table cell: pipes escaped, control characters (test names quote odd input) made visible. */
const cell = (text: string | number) =>
  [...String(text).replace(/\|/g, '\\|')]
    .map((c) => (c.charCodeAt(0) < 0x20 ? '·' : c))
    .join('')
    .slice(0, 300);

/** The rows of a results file, in the order they were written. */
export function readRows(file = RESULTS_FILE): (CaseRow | FigureRow)[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CaseRow | FigureRow);
}

/** The sum of every numeric figure that counts inputs tried (files, documents, questions, option sets, guesses). */
function triedTotal(figures: FigureRow[]): number {
  return figures
    .filter((f) => /tried/.test(f.name) && typeof f.value === 'number')
    .reduce((n, f) => n + Number(f.value), 0);
}

const status = (c: CaseRow) => (c.pass ? 'ok' : c.open ? `open (#${c.open})` : '**FAIL**');

/** The Markdown report for these rows. */
export function renderReport(rows: (CaseRow | FigureRow)[], when = new Date()): string {
  const cases = rows.filter((r): r is CaseRow => r.kind === 'case');
  const figures = rows.filter((r): r is FigureRow => r.kind === 'figure');
  const areas = [...new Set(rows.map((r) => r.area))];
  const open = cases.filter((c) => !c.pass && c.open).length;
  const failed = cases.filter((c) => !c.pass && !c.open).length;
  const out = [
    '# Reliability and security',
    '',
    `Written by the reliability suite (\`e2e/reliability/\`) through \`npm run reliability\` (or re-rendered from its last run by \`npm run reliability:report\`) on ${when.toISOString().slice(0, 16)}Z against the real API started as a child process on loopback with \`models/tiny-vqa\`. Do not edit by hand: rerun the suite.`,
    '',
    `**${cases.length} cases, ${cases.length - failed - open} as expected, ${open} open findings (known, listed in \`e2e/known-open.ts\`), ${failed} not.** Inputs tried in all (every figure named "tried"): ${triedTotal(figures)}.`,
    '',
    '## Figures',
    '',
    '| area | figure | value |',
    '|---|---|---|',
    ...figures.map(
      (f) => `| ${cell(f.area)} | ${cell(f.name)} | ${cell(f.value)}${f.unit ? ` ${cell(f.unit)}` : ''} |`,
    ),
  ];
  for (const area of areas) {
    const rowsOf = cases.filter((c) => c.area === area);
    if (rowsOf.length === 0) continue;
    out.push('', `## ${area}`, '', '| case | expected | observed | |', '|---|---|---|---|');
    for (const c of rowsOf)
      out.push(`| ${cell(c.name)} | ${cell(c.expected)} | ${cell(c.observed)} | ${status(c)} |`);
  }
  return `${out.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = readRows();
  if (rows.length === 0) throw new Error(`no results in ${RESULTS_FILE}: run the suite first`);
  const report = renderReport(rows);
  const targets = process.argv.includes('--write-report')
    ? [RUN_REPORT_FILE, REPORT_FILE]
    : [RUN_REPORT_FILE];
  for (const target of targets) writeFileSync(target, report);
  console.log(`wrote ${targets.join(' and ')} (${rows.length} rows)`);
}
