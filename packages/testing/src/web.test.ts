import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextListeningUrl } from './web.js';

test("next start's output: the reported URL, given back only once it says Ready", () => {
  const read = nextListeningUrl();
  const lines = [
    '[web] Open http://localhost:0 (API: http://127.0.0.1:4000/graphql)',
    '   ▲ Next.js 16.4.6',
    '   - Local:         http://127.0.0.1:43117',
    '   - Network:       http://127.0.0.1:43117',
    ' ✓ Starting...',
    ' ✓ Ready in 412ms',
  ];
  assert.deepEqual(lines.map(read), [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    'http://127.0.0.1:43117',
  ]);
});
