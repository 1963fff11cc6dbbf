// The suite's evidence: every case and figure is appended as one JSON line to artifacts/reliability/results.jsonl,
// and render.ts turns that file into RELIABILITY.md. Appending (not rewriting) keeps files independent of each other.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openFinding } from '../known-open.js';

/** The repository root (e2e/reliability/results.ts is two levels down). */
export const REPO = resolve(import.meta.dirname, '../..');
/** Where each run's rows go; the test script empties it before a run. */
export const RESULTS_FILE = resolve(REPO, 'artifacts/reliability/results.jsonl');

/** One tried case: what the suite expected and what the server did. */
export interface CaseRow {
  kind: 'case';
  area: string;
  name: string;
  expected: string;
  observed: string;
  pass: boolean;
  /** The open audit finding (e2e/known-open.ts) this case shows, when the server does not fix it yet. */
  open?: string;
}

/** One measured number (memory, counts, durations). */
export interface FigureRow {
  kind: 'figure';
  area: string;
  name: string;
  value: number | string;
  unit: string;
}

function append(row: CaseRow | FigureRow): void {
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  appendFileSync(RESULTS_FILE, `${JSON.stringify({ ...row, at: new Date().toISOString() })}\n`);
}

/** Records a case and whether it passed (default: observed equals expected); returns that, for the test to assert. */
export function recordCase(
  area: string,
  name: string,
  expected: string,
  observed: string,
  pass = expected === observed,
): boolean {
  append({ kind: 'case', area, name, expected, observed, pass });
  return pass;
}

/** Records a figure. */
export function recordFigure(area: string, name: string, value: number | string, unit = ''): void {
  append({ kind: 'figure', area, name, value, unit });
}

/** Where the audit findings' cases go in the report. */
export const FINDINGS_AREA = 'audit findings (issue 16)';

/**
 * Records the case of an audit finding. While the finding is listed as open in e2e/known-open.ts, a failing
 * result is the expected one (the row says "open") and a passing one throws, so the mark is removed with the
 * fix; once it is not listed, the case is an ordinary one. Returns whether the test should pass.
 */
export function recordFinding(
  id: string,
  name: string,
  expected: string,
  observed: string,
  pass: boolean,
): boolean {
  const open = openFinding(id);
  append({
    kind: 'case',
    area: FINDINGS_AREA,
    name: `#${id} ${name}`,
    expected,
    observed,
    pass,
    ...(open && !pass ? { open: id } : {}),
  });
  if (open && pass)
    throw new Error(`finding #${id} now passes: delete its line from e2e/known-open.ts (it was: ${open})`);
  return pass || open !== undefined;
}
