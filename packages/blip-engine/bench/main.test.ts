// Keeps the benchmark code running: a --quick pass on the committed tiny model (nothing is written).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBench } from './main.js';

test('the engine bench runs end to end on tiny-vqa and reports sane figures', async () => {
  const summary = await runBench(['--quick', '--model', 'models/tiny-vqa', '--tokens', '6']);
  assert.ok(summary, 'tiny-vqa is committed, so the bench must not skip');
  for (const [key, value] of Object.entries(summary))
    assert.ok(Number.isFinite(value) && value >= 0, `${key} = ${value}`);
  assert.ok(summary.floorTotalMs > 0 && summary.engineComputeMs > 0);
  assert.ok(summary.followUpMs < summary.totalMs, 'a follow-up on a cached image must be faster');
});

test('a missing model folder is skipped with a message, not an error', async () => {
  assert.equal(await runBench(['--quick', '--model', 'models/no-such-model']), null);
});
