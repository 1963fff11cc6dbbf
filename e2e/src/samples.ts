// The demo model's sample images and the answers recorded for them (models/shapes-demo/samples/samples.json),
// read leniently: the toolchain owns that format; the tests need a file, its caption and question/answer pairs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './servers.js';

/** The bundled demo model (E2E_DEMO_MODEL / E2E_SAMPLES_DIR point elsewhere, to try the tests on other folders). */
export const DEMO_MODEL = process.env.E2E_DEMO_MODEL ?? join(REPO, 'models', 'shapes-demo');
export const SAMPLES_DIR = process.env.E2E_SAMPLES_DIR ?? join(DEMO_MODEL, 'samples');
/** The random-weights test model: real tokens, nonsense text, slow enough captions to watch and stop. */
export const TINY_MODEL = join(REPO, 'models', 'tiny-vqa');

/** One sample with what the demo model must say about it. */
export interface DemoSample {
  file: string;
  caption: string | null;
  questions: { question: string; answer: string }[];
}

/** True when the demo model and its samples exist (else the tests fall back to tiny-vqa and check only streaming). */
export function demoModelPresent(): boolean {
  return existsSync(join(DEMO_MODEL, 'manifest.json')) && existsSync(join(SAMPLES_DIR, 'samples.json'));
}

function pairsOf(entry: Record<string, unknown>): { question: string; answer: string }[] {
  const raw = entry.qa ?? entry.questions ?? [];
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((q) => {
    if (Array.isArray(q) && typeof q[0] === 'string' && typeof q[1] === 'string')
      return [{ question: q[0], answer: q[1] }];
    const r = q as Record<string, unknown>;
    const question = r.question ?? r.q;
    const answer = r.answer ?? r.a ?? r.expected;
    return typeof question === 'string' && typeof answer === 'string' ? [{ question, answer }] : [];
  });
}

/** The samples of samples.json that have a caption and at least two questions. */
export function demoSamples(): DemoSample[] {
  const parsed: unknown = JSON.parse(readFileSync(join(SAMPLES_DIR, 'samples.json'), 'utf8'));
  const list = Array.isArray(parsed) ? parsed : ((parsed as { samples?: unknown[] }).samples ?? []);
  return (list as Record<string, unknown>[]).flatMap((entry) => {
    const file = [entry.file, entry.image, entry.filename, entry.path].find((v) => typeof v === 'string');
    if (typeof file !== 'string') return [];
    const caption = typeof entry.caption === 'string' ? entry.caption : null;
    return [{ file: file.split('/').pop() as string, caption, questions: pairsOf(entry) }];
  });
}
