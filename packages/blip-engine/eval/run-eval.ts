// Runs an evaluation set through the engine: every question with answer(), every captioned image with caption(),
// keeping each output's confidence (when the engine reports one) for the threshold's calibration.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Blip } from '../src/engine/blip.js';
import type { HeldoutSet } from './heldout-set.js';
import { exactMatch, Scoreboard, type Tally } from './score.js';

/** How many wrong outputs to keep as examples in the report. */
export const KEPT_MISTAKES = 10;

/** One wrong output, for the report. */
export interface Mistake {
  image: string;
  question: string | null;
  expected: string;
  got: string;
}

/** One output: its question type ('caption' for captions), whether it was right, and the engine's confidence. */
export interface Outcome {
  type: string;
  right: boolean;
  confidence: number | null;
}

/** The outcome of a run. */
export interface EvalResult {
  answers: Scoreboard;
  captions: Tally;
  mistakes: Mistake[];
  outcomes: Outcome[];
  /** Mean wall time of one answer() / caption() call, in ms. */
  meanAnswerMs: number;
  meanCaptionMs: number;
}

/** The engine's confidence in a result, if this engine version reports one (0..1). */
export function confidenceOf(result: object): number | null {
  const value = (result as { confidence?: unknown }).confidence;
  return typeof value === 'number' ? value : null;
}

/** Greedy answers and captions (the model folder's default generation settings) for the whole set. */
export async function runHeldout(blip: Blip, set: HeldoutSet): Promise<EvalResult> {
  const answers = new Scoreboard();
  const mistakes: Mistake[] = [];
  const outcomes: Outcome[] = [];
  let answerMs = 0;
  for (const q of set.questions) {
    const result = await blip.answer(await readFile(join(set.dir, q.image)), q.question);
    answerMs += result.timings.totalMs;
    const right = exactMatch(result.text, q.answer);
    answers.add(q.type, right);
    outcomes.push({ type: q.type, right, confidence: confidenceOf(result) });
    if (!right && mistakes.length < KEPT_MISTAKES) {
      mistakes.push({ image: q.image, question: q.question, expected: q.answer, got: result.text });
    }
  }
  const captions = { right: 0, total: 0 };
  let captionMs = 0;
  for (const c of set.captions) {
    const result = await blip.caption(await readFile(join(set.dir, c.image)));
    captionMs += result.timings.totalMs;
    const right = exactMatch(result.text, c.caption);
    captions.right += right ? 1 : 0;
    captions.total += 1;
    outcomes.push({ type: 'caption', right, confidence: confidenceOf(result) });
    if (!right && mistakes.length < 2 * KEPT_MISTAKES) {
      mistakes.push({ image: c.image, question: null, expected: c.caption, got: result.text });
    }
  }
  return {
    answers,
    captions,
    mistakes,
    outcomes,
    meanAnswerMs: answerMs / Math.max(1, set.questions.length),
    meanCaptionMs: captionMs / Math.max(1, set.captions.length),
  };
}
