// The command line every benchmark shares: `--quick` plus its own flags (node:util parseArgs), model folders
// resolved from the repository root with an environment fallback and one skip line when absent, whole-number
// counts checked once, and the machine/load/command lines the BENCHMARKS.md sections print.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO } from '../paths.js';

type Flags = Record<string, { type: 'string' } | { type: 'boolean' }>;

/**
 * Parses `argv` with `--quick` and the bench's own `flags`; unknown flags are an error (a typo never runs a
 * full bench). `npm run bench -- …` hands every flag to every bench: the parts that must accept the others'
 * flags (int8.ts, apps/api/bench/load.ts) use benchArgsLenient.
 */
export function benchArgs<const F extends Flags>(argv: string[], flags: F) {
  return parseArgs({ args: argv, options: { quick: { type: 'boolean' }, ...flags } }).values;
}

/** benchArgs that ignores flags it does not know; every value is checked for its type by the caller. */
export function benchArgsLenient<const F extends Flags>(argv: string[], flags: F) {
  return parseArgs({ args: argv, strict: false, options: { quick: { type: 'boolean' }, ...flags } }).values;
}

/** `value` (a flag's text) as a whole number ≥ `min`, or `fallback` when not given; a clear error otherwise. */
export function countArg(value: string | undefined, fallback: number, flag: string, min = 1): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${flag} must be an integer >= ${min}, got ${value}`);
  return n;
}

/**
 * A model folder: `given` (a flag), else `process.env[env]`, else `fallback`, resolved from the repository root.
 * Null after printing "<bench> skipped: <folder> is absent" when it does not exist, so a fresh clone's
 * `npm run bench` skips what it has no model for.
 */
export function benchModel(
  bench: string,
  given: string | undefined,
  fallback: { env?: string; path?: string; hint?: string },
): string | null {
  const chosen = given ?? (fallback.env ? process.env[fallback.env] : undefined) ?? fallback.path;
  if (chosen === undefined) return null;
  const folder = resolve(REPO, chosen);
  if (existsSync(folder)) return folder;
  console.log(
    `${bench} skipped: ${relative(REPO, folder)} is absent${fallback.hint ? `. ${fallback.hint}` : ''}`,
  );
  return null;
}

/** The full-size folder the issue-18 benches default to. */
export const BENCH_MODEL = { env: 'BLIP_BENCH_MODEL', path: 'models/blip-vqa-base-random' };

/**
 * benchArgs with `--model` and `--rounds` besides the bench's own `flags`, and the model folder (`--model`, else
 * BENCH_MODEL); null when the folder is absent (the skip line is printed).
 */
export function benchRun<const F extends Flags>(argv: string[], bench: string, flags: F) {
  const values = benchArgs(argv, { model: { type: 'string' }, rounds: { type: 'string' }, ...flags });
  const model = benchModel(bench, (values as { model?: string }).model, BENCH_MODEL);
  return model ? { values, model } : null;
}

/** "2 × <CPU model>", for a section's first line. */
export function machineLine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`;
}

/** The 1-minute load average now (other work on the shared machine slows every figure). */
export function loadNow(): number {
  return loadavg()[0] ?? 0;
}

/** A folder as the sections print it: relative to the repository root. */
export function repoPath(folder: string): string {
  return relative(REPO, folder);
}

/**
 * The search benches' command line: `--model` (a folder with image-text parts, required), `--queries` (20) and
 * `--images` (5) as whole numbers, `--write`, and the bench's own `flags`.
 */
export function searchBenchArgs<const F extends Flags>(argv: string[], flags: F) {
  const values = benchArgs(argv, {
    model: { type: 'string' },
    queries: { type: 'string' },
    images: { type: 'string' },
    write: { type: 'boolean' },
    ...flags,
  });
  const common = values as { model?: string; queries?: string; images?: string };
  if (!common.model) throw new Error('--model <folder with image-text parts> is required');
  return {
    values,
    model: resolve(REPO, common.model),
    queries: countArg(common.queries, 20, 'queries'),
    images: countArg(common.images, 5, 'images'),
  };
}
