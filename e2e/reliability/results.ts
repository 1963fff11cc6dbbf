// The suite's evidence: every case and figure is appended as one JSON line to artifacts/reliability/results.jsonl,
// and render.ts turns that file into RELIABILITY.md. Appending (not rewriting) keeps files independent of each other.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

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
