// The bundled demo model, through the engine, on FRESH evaluation sets of every kind (own generator, the
// independent SVG renderer, held-out phrasings, out-of-world questions and images, phrasings written apart): a broken
// engine (preprocessing, tokenizer, generation) or a broken model folder drops a set below its floor.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Blip } from '../src/engine/blip.js';
import { generateHeldout, REPO_ROOT } from './heldout-set.js';
import { type Outcome, runHeldout } from './run-eval.js';
import { exactMatch, normalise, percent, Scoreboard } from './score.js';
import { EVAL_SETS, setSeed } from './sets.js';

/** Per set: small enough for CI on 2 shared cores. */
const QUESTIONS = 100;
const CAPTIONS = 20;
/**
 * Floors per set (answers, captions; null: not checked), at least 3 standard deviations (n = 100, captions n = 20) under
 * what the bundled model scores on 1,000-question sets (models/shapes-demo/README.md: own 98.4 %, independent renderer
 * 99.0-99.4 %, held-out phrasings 92.1 %, outside 92.2 % exact honest answers, written apart 92.3 %; captions 98-100 %),
 * so only real breakage fails. An engine that ignored the manifest's answer_memory (the question's states alone) fails
 * five of the seven: own 87 %, independent renderer 83-89 %, held-out phrasings 80 % (a copy of the folder without the
 * field, `eval/shapes.ts --n 100 --captions 20 --seed 2000003`).
 * Captions: 0.8, as 4 wrong of 20 happens 0.7 % of the time at 96 %.
 * Raise these with the model.
 */
export const FLOORS: Record<string, { answers: number; captions: number | null }> = {
  own: { answers: 0.92, captions: 0.8 },
  'independent-96': { answers: 0.92, captions: 0.8 },
  'independent-white': { answers: 0.92, captions: 0.8 },
  'independent-dark': { answers: 0.92, captions: 0.8 },
  phrasings: { answers: 0.84, captions: null },
  outside: { answers: 0.84, captions: null },
  written: { answers: 0.84, captions: null },
};

const results = new Map<string, Outcome[]>();
const dirs: string[] = [];
let baseSeed = 0;

before(async () => {
  // A new seed every run: the model must generalise, not remember one set.
  baseSeed = 2_000_000 + Math.floor(Math.random() * 1_000_000);
  const blip = await Blip.load(join(REPO_ROOT, 'models/shapes-demo'));
  try {
    for (const [i, set] of EVAL_SETS.entries()) {
      const dir = await mkdtemp(join(tmpdir(), `shapes-test-${set.name}-`));
      dirs.push(dir);
      const captions = Math.round(CAPTIONS * set.captionShare);
      const data = await generateHeldout(dir, {
        seed: setSeed(baseSeed, i),
        questions: QUESTIONS,
        captions,
        ...set.options,
      });
      assert.equal(data.questions.length, QUESTIONS);
      results.set(set.name, (await runHeldout(blip, data)).outcomes);
    }
  } finally {
    await blip.dispose();
  }
});

after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

for (const set of EVAL_SETS) {
  const floor = FLOORS[set.name];
  test(`${set.name}: answers and captions through the engine stay above their floors`, (t) => {
    if (!floor) return t.skip('no floor for this set');
    const outcomes = results.get(set.name) ?? [];
    const answers = outcomes.filter((o) => o.type !== 'caption');
    const captions = outcomes.filter((o) => o.type === 'caption');
    const right = (list: Outcome[]) => ({ right: list.filter((o) => o.right).length, total: list.length });
    assert.equal(answers.length, QUESTIONS);
    const a = right(answers);
    assert.ok(
      a.right / a.total >= floor.answers,
      `${set.name}: answers ${percent(a)} < ${floor.answers} (base seed ${baseSeed})`,
    );
    if (floor.captions !== null) {
      const c = right(captions);
      assert.ok(
        c.right / c.total >= floor.captions,
        `${set.name}: captions ${percent(c)} < ${floor.captions} (base seed ${baseSeed})`,
      );
    }
  });
}

test('the sets hold what they say: many question types in world, only the outside answer outside', () => {
  const own = results.get('own') ?? [];
  assert.ok(new Set(own.map((o) => o.type)).size >= 8, 'most question types appear');
  const outside = results.get('outside') ?? [];
  assert.ok(
    outside.some((o) => o.type === 'outside_question') &&
      outside.some((o) => o.type.startsWith('outside_image')),
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
