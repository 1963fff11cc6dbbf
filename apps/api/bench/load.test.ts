// Keeps the load benchmark running (not its timings): a --quick pass through real API servers on tiny-vqa.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoadBench } from './load.js';
import type { LevelRun } from './load-clients.js';
import { levelFigures, scaling } from './load-report.js';

test('level figures: answers/s over the wall time, refusals counted apart, percentiles of completed answers', () => {
  const run: LevelRun = {
    clients: 2,
    wallMs: 2000,
    answers: [
      { ok: true, firstTokenMs: 100, totalMs: 900 },
      { ok: true, firstTokenMs: 300, totalMs: 1500 },
      { ok: false, error: 'OVERLOADED', firstTokenMs: Number.NaN, totalMs: Number.NaN },
    ],
  };
  const f = levelFigures(run);
  assert.equal(f.answered, 2);
  assert.deepEqual(f.refused, { OVERLOADED: 1 });
  assert.equal(f.answersPerSecond, 1);
  assert.equal(f.ttftP50, 100);
  assert.equal(f.fullP95, 1500);
});

test('the load bench runs every quick setting through real servers and every question is answered', async () => {
  const all = await runLoadBench(['--quick', '--model', 'models/tiny-vqa', '--tokens', '5']);
  assert.ok(all, 'tiny-vqa is committed, so the bench must not skip');
  assert.equal(all.length, 2);
  for (const setting of all) {
    assert.deepEqual(
      setting.levels.map((l) => [l.clients, l.answered]),
      [
        [1, 1],
        [2, 2],
      ],
    );
    for (const level of setting.levels) {
      assert.ok(level.answersPerSecond > 0);
      assert.ok(level.ttftP50 > 0 && level.ttftP50 <= level.fullP50, 'first token before the whole answer');
    }
    assert.ok((scaling(setting, 2) ?? 0) > 0);
  }
});

test('a missing model folder is skipped with a message, not an error', async () => {
  assert.equal(await runLoadBench(['--quick', '--model', 'models/no-such-model']), null);
});
