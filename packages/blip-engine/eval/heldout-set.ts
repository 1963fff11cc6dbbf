// The shapes world's held-out sets, as the Python generator (models/shapes/heldout.py) writes them:
// DIR/set.json plus DIR/images/*.png. The generator is the only source of truth for scenes and answers.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root (this file sits at packages/blip-engine/eval/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** How long the generator may take for a set before we give up (it writes ~1,000 PNGs in a few seconds). */
export const GENERATOR_TIMEOUT_MS = 120_000;

/** One held-out question: the image it is about, its type (for per-type scores) and its one right answer. */
export interface HeldoutQuestion {
  image: string;
  type: string;
  question: string;
  answer: string;
}

/** One held-out image with its canonical caption. */
export interface HeldoutCaption {
  image: string;
  caption: string;
}

/** A held-out set; image paths are relative to `dir`. */
export interface HeldoutSet {
  dir: string;
  seed: number;
  questions: HeldoutQuestion[];
  captions: HeldoutCaption[];
}

/** What to generate: how many questions and captioned images, from which seed. */
export interface GenerateOptions {
  seed: number;
  questions: number;
  captions: number;
}

/** Runs the Python generator (scripts/py -m shapes.heldout) into `dir` and reads the set back. */
export async function generateHeldout(dir: string, options: GenerateOptions): Promise<HeldoutSet> {
  const args = ['-m', 'shapes.heldout', '--out', dir, '--seed', String(options.seed)];
  args.push('--questions', String(options.questions), '--captions', String(options.captions));
  await promisify(execFile)(join(REPO_ROOT, 'scripts/py'), args, { timeout: GENERATOR_TIMEOUT_MS });
  return readHeldout(dir);
}

/** Reads DIR/set.json, checking the fields this evaluation relies on. */
export async function readHeldout(dir: string): Promise<HeldoutSet> {
  const doc = JSON.parse(await readFile(join(dir, 'set.json'), 'utf8')) as Partial<HeldoutSet>;
  if (!Array.isArray(doc.questions) || !Array.isArray(doc.captions) || typeof doc.seed !== 'number') {
    throw new Error(`${dir}/set.json is not a shapes held-out set (needs seed, questions, captions)`);
  }
  return { dir, seed: doc.seed, questions: doc.questions, captions: doc.captions };
}
