// Keeps the decoder-step benchmark running: a --quick pass on the committed tiny model (nothing is written).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runStepBench } from './step.js';

test('the decoder-step bench runs on tiny-vqa in both precisions and reports positive figures', async () => {
  const figures = await runStepBench([
    '--quick',
    '--model',
    'models/tiny-vqa',
    '--tokens',
    '4',
    '--rounds',
    '1',
  ]);
  assert.deepEqual(
    figures?.map((f) => f.precision),
    ['f32', 'bf16'],
  );
  for (const f of figures ?? [])
    assert.ok(f.engineStepMs > 0 && f.floorStepMs > 0 && f.ratio > 0, JSON.stringify(f));
});
