// The bundled demo model, through the engine, on a FRESH held-out set from the Python world generator:
// a broken engine (preprocessing, tokenizer, generation) or a broken model folder drops accuracy below the floors.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Blip } from '../src/index.js';
import { generateHeldout, type HeldoutSet, REPO_ROOT } from './heldout-set.js';
import { type EvalResult, runHeldout } from './run-eval.js';
import { exactMatch, normalise, percent, Scoreboard } from './score.js';

/** Size of the fresh set: small enough for CI on 2 shared cores. */
const QUESTIONS = 150;
const CAPTIONS = 30;
/** Floors well under the measured accuracy (see models/shapes-demo/README.md), so only real breakage fails. */
const ANSWER_FLOOR = 0.75;
const CAPTION_FLOOR = 0.5;

let dir = '';
let set: HeldoutSet;
let result: EvalResult;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shapes-test-'));
  // A new seed every run: the model must generalise, not remember one set.
  const seed = 2_000_000 + Math.floor(Math.random() * 1_000_000);
  set = await generateHeldout(dir, { seed, questions: QUESTIONS, captions: CAPTIONS });
  const blip = await Blip.load(join(REPO_ROOT, 'models/shapes-demo'));
  try {
    result = await runHeldout(blip, set);
  } finally {
    await blip.dispose();
  }
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the generator wrote the set that was asked for', () => {
  assert.equal(set.questions.length, QUESTIONS);
  assert.equal(set.captions.length, CAPTIONS);
  assert.ok(new Set(set.questions.map((q) => q.type)).size >= 8, 'most question types appear');
});

test(`answers through the engine: at least ${ANSWER_FLOOR * 100}% exact match`, () => {
  const all = result.answers.overall();
  assert.equal(all.total, QUESTIONS);
  const detail = `${percent(all)} (seed ${set.seed}); wrong: ${JSON.stringify(result.mistakes.slice(0, 5))}`;
  assert.ok(all.right / all.total >= ANSWER_FLOOR, detail);
});

test(`captions through the engine: at least ${CAPTION_FLOOR * 100}% exact match`, () => {
  assert.equal(result.captions.total, CAPTIONS);
  assert.ok(
    result.captions.right / CAPTIONS >= CAPTION_FLOOR,
    `${percent(result.captions)} (seed ${set.seed})`,
  );
});

test('scoring: normalisation only forgives case and spacing', () => {
  assert.equal(normalise('  A red Circle , two  blue squares '), 'a red circle, two blue squares');
  assert.ok(exactMatch('Yes', 'yes'));
  assert.ok(!exactMatch('yes no', 'yes'));
  assert.ok(!exactMatch('2', '3'));
  const board = new Scoreboard();
  board.add('count', true);
  board.add('count', false);
  board.add('exists', true);
  assert.deepEqual(board.overall(), { right: 2, total: 3 });
  assert.equal(percent(board.entries()[0]?.[1] ?? { right: 0, total: 0 }), '50.0%');
});
