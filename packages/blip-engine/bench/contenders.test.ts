// Keeps the contenders benchmark running (not its timings): a --quick pass on the committed tiny model, with
// every contender's process (engine, reference pipeline, PyTorch) really run. Nothing is written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runContendersBench } from './contenders.js';

test('the contenders bench runs end to end on tiny-vqa: every contender answers with the forced length', async () => {
  const summary = await runContendersBench(['--quick', '--model', 'models/tiny-vqa', '--tokens', '5']);
  assert.ok(summary, 'tiny-vqa is committed, so the bench must not skip');
  assert.equal(summary.answers, 3);
  for (const [name, row] of Object.entries(summary.rows))
    for (const [key, value] of Object.entries(row))
      if (value !== null) assert.ok(Number.isFinite(value) && value > 0, `${name}.${key} = ${value}`);
  for (const value of Object.values(summary.ratios)) assert.ok(Number.isFinite(value) && value > 0);
  assert.ok(summary.beam, '--quick still runs one 3-beam answer');
  // Same IR files, f32, greedy: the reference pipeline must produce the engine's tokens (sharp vs PIL pixels
  // differ a little, which the tiny model's clear margins absorb).
  assert.equal(summary.idsAgreeWithReference, '3/3');
  assert.ok(
    (summary.visionRelErrorVsIR ?? 1) < 1e-3,
    'PyTorch rebuilt the exported weights (tiny-vqa is FP32)',
  );
});

test('a missing model folder is skipped with a message, not an error', async () => {
  assert.equal(await runContendersBench(['--quick', '--model', 'models/no-such-model']), null);
});
