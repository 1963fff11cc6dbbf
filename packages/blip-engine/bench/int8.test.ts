// Keeps the INT8 benchmark honest on the committed tiny models: a model against itself agrees on every token,
// the demo model against its INT8 build reports sane figures, and the BENCHMARKS.md writer touches only its section.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_INT8_BENCH, type Int8BenchOptions, runInt8Bench, writeInt8Section } from './int8.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const QUICK: Partial<Int8BenchOptions> = {
  repeats: 1,
  timedImages: 1,
  timedTokens: 4,
  questions: ['what is it?'],
};

test('a model compared with itself agrees on every sequence', async () => {
  const tiny = join(ROOT, 'models/tiny-vqa');
  const report = await runInt8Bench({ ...DEFAULT_INT8_BENCH, ...QUICK, fpFolder: tiny, int8Folder: tiny });
  const a = report.agreement;
  assert.ok(a.sequences >= 2 * 8, `one answer and one caption per golden image, got ${a.sequences}`);
  assert.equal(a.exact, a.sequences);
  assert.equal(a.firstToken, a.sequences);
  assert.equal(a.meanCommonPrefix, 1);
});

test('the demo model against its INT8 build: half the weight bytes, finite ratios, partial agreement', async () => {
  const report = await runInt8Bench({
    ...DEFAULT_INT8_BENCH,
    ...QUICK,
    fpFolder: join(ROOT, 'models/shapes-demo'),
    int8Folder: join(ROOT, 'models/shapes-demo-int8'),
  });
  assert.deepEqual(new Set(Object.values(report.int8.precision)), new Set(['int8']));
  assert.match(report.int8.calibration ?? '', /^shapes-world:seed=\d+, 300 samples$/);
  const shrink = report.int8.binBytes / report.fp.binBytes;
  assert.ok(shrink > 0.45 && shrink < 0.6, `INT8 weights are ${shrink} of FP16's`);
  for (const [stage, m] of Object.entries(report.medians)) {
    assert.ok(m.fp > 0 && m.int8 > 0 && Number.isFinite(m.ratio), `${stage}: ${JSON.stringify(m)}`);
  }
  assert.ok(report.agreement.firstToken > report.agreement.sequences / 2, JSON.stringify(report.agreement));
});

test('writing the INT8 section replaces only that section', () => {
  const dir = mkdtempSync(join(tmpdir(), 'int8-section-'));
  try {
    const path = join(dir, 'BENCHMARKS.md');
    writeFileSync(
      path,
      '# Benchmarks\n\n## Engine\n\nengine text\n\n## INT8\n\nold\n\n## Later\n\nlater text\n',
    );
    writeInt8Section(path, '## INT8\n\nnew\n');
    assert.equal(
      readFileSync(path, 'utf8'),
      '# Benchmarks\n\n## Engine\n\nengine text\n\n## INT8\n\nnew\n\n## Later\n\nlater text\n',
    );
    writeFileSync(path, '# Benchmarks\n\n## Engine\n\nengine text\n');
    writeInt8Section(path, '## INT8\n\nfirst\n');
    assert.equal(
      readFileSync(path, 'utf8'),
      '# Benchmarks\n\n## Engine\n\nengine text\n\n## INT8\n\nfirst\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
