// Keeps the API throughput benchmark running (not its timings): a --quick pass through two real API servers
// on tiny-vqa; nothing is written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runApiThroughput } from './throughput.js';

test('the API throughput bench runs every variant through real servers and every request completes', async () => {
  const levels = await runApiThroughput(['--quick', '--model', 'models/tiny-vqa']);
  assert.ok(levels, 'tiny-vqa is committed, so the bench must not skip');
  assert.deepEqual(levels.map((l) => `${l.workload} ${l.batching} ${l.clients}`).sort(), [
    'answer off 1',
    'answer off 4',
    'answer on 1',
    'answer on 4',
    'caption off 1',
    'caption off 4',
    'caption on 1',
    'caption on 4',
  ]);
  for (const l of levels) {
    assert.equal(l.count, l.clients, `${l.workload} ${l.batching} ${l.clients}: one request per client`);
    assert.ok(l.wallMs > 0 && l.latencies.every((ms) => ms > 0));
  }
});

test('a missing model folder is skipped with a message, not an error', async () => {
  assert.equal(await runApiThroughput(['--quick', '--model', 'models/no-such-model']), null);
});
