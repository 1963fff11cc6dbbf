import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listSamples, readSample } from './samples.js';

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'samples-'));
  writeFileSync(join(dir, 'b.png'), 'png-bytes');
  writeFileSync(join(dir, 'a.png'), 'png-bytes');
  writeFileSync(join(dir, 'notes.txt'), 'not a sample');
  writeFileSync(
    join(dir, 'samples.json'),
    JSON.stringify([
      {
        file: 'a.png',
        caption: 'a red circle',
        qa: [{ question: 'how many circles?', answer: '1', type: 'count' }],
      },
    ]),
  );
  return dir;
}

test('images are listed in name order, with their example questions (never the answers)', async () => {
  const samples = await listSamples(folder());
  assert.deepEqual(
    samples.map((s) => s.file),
    ['a.png', 'b.png'],
  );
  assert.equal(samples[0]?.url, '/samples/a.png');
  assert.deepEqual(samples[0]?.questions, ['how many circles?']);
  assert.deepEqual(samples[1]?.questions, []);
  assert.ok(!JSON.stringify(samples).includes('answer'), 'answers stay on the server');
});

test('no folder means no samples', async () => {
  assert.deepEqual(await listSamples(join(tmpdir(), 'does-not-exist-42')), []);
});

test('only image files of the folder are served; paths that climb out are refused', async () => {
  const dir = folder();
  assert.equal((await readSample('a.png', dir))?.type, 'image/png');
  assert.equal(await readSample('notes.txt', dir), null);
  assert.equal(await readSample('../a.png', dir), null);
  assert.equal(await readSample('missing.png', dir), null);
});
