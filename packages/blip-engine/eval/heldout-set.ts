// The shapes world's evaluation sets, as the Python generator (models/shapes/heldout.py) writes them:
// DIR/set.json plus DIR/images/*.png — or, for kind 'spec', scene specs that the independent SVG renderer
// (render-svg.ts) draws here. The generator is the only source of truth for scenes and answers.

import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { renderScene, type SceneSpec } from './render-svg.js';

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

/** The generator's kinds of set (models/shapes/heldout.py). */
export type SetKind = 'own' | 'phrasings' | 'written' | 'outside' | 'spec';

/** What to generate: how many questions and captioned images, from which seed; for 'spec' the canvas and background. */
export interface GenerateOptions {
  seed: number;
  questions: number;
  captions: number;
  kind?: SetKind;
  /** 'WxH' for every scene; default: the generator's own mix of sizes and aspect ratios. */
  canvas?: string;
  background?: 'any' | 'white' | 'dark';
}

/** Runs the Python generator (scripts/py -m shapes.heldout) into `dir`, renders spec sets, and reads the set back. */
export async function generateHeldout(dir: string, options: GenerateOptions): Promise<HeldoutSet> {
  const kind = options.kind ?? 'own';
  const args = ['-m', 'shapes.heldout', '--out', dir, '--seed', String(options.seed), '--kind', kind];
  args.push('--questions', String(options.questions), '--captions', String(options.captions));
  if (options.canvas) args.push('--canvas', options.canvas);
  if (options.background) args.push('--background', options.background);
  await promisify(execFile)(join(REPO_ROOT, 'scripts/py'), args, { timeout: GENERATOR_TIMEOUT_MS });
  if (kind === 'spec') await renderSpecs(dir);
  return readHeldout(dir);
}

/** Draws every scene spec of DIR/set.json with the SVG renderer and points the set's entries at the files. */
export async function renderSpecs(dir: string): Promise<void> {
  const path = join(dir, 'set.json');
  const doc = JSON.parse(await readFile(path, 'utf8')) as {
    scenes: Record<string, SceneSpec>;
    questions: HeldoutQuestion[];
    captions: HeldoutCaption[];
  };
  await mkdir(join(dir, 'images'), { recursive: true });
  const renamed = new Map<string, string>();
  for (const [name, spec] of Object.entries(doc.scenes)) {
    const { bytes, ext } = await renderScene(spec);
    const file = name.replace(/\.png$/, `.${ext}`);
    await writeFile(join(dir, file), bytes);
    renamed.set(name, file);
  }
  for (const entry of [...doc.questions, ...doc.captions])
    entry.image = renamed.get(entry.image) ?? entry.image;
  await writeFile(path, JSON.stringify(doc));
}

/** Reads DIR/set.json, checking the fields this evaluation relies on. */
export async function readHeldout(dir: string): Promise<HeldoutSet> {
  const doc = JSON.parse(await readFile(join(dir, 'set.json'), 'utf8')) as Partial<HeldoutSet>;
  if (!Array.isArray(doc.questions) || !Array.isArray(doc.captions) || typeof doc.seed !== 'number') {
    throw new Error(`${dir}/set.json is not a shapes held-out set (needs seed, questions, captions)`);
  }
  return { dir, seed: doc.seed, questions: doc.questions, captions: doc.captions };
}
