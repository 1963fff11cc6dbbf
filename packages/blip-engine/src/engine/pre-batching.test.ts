// Folders exported before the decoder took positions and a cross-attention mask (the bundled demo model of
// earlier sessions, full-size folders made then) still load: the parts table's batch inputs are absent, so
// every generation runs its decoder steps alone — several at once, with Hugging Face's tokens. The fixture is
// tiny-vqa's decoder graph as exported before (same weights), put into a copy of tiny-vqa.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { Blip, engineContext } from './blip.js';

const MODELS = resolve(import.meta.dirname, '../../../../models');

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'blip-pre-batching-'));
  await cp(resolve(MODELS, 'tiny-vqa'), dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  for (const ext of ['xml', 'bin']) {
    const bytes = await readFile(resolve(MODELS, `fixtures/pre-batching/text_decoder.${ext}`));
    await writeFile(join(dir, `text_decoder.${ext}`), bytes);
    manifest.files[`text_decoder.${ext}`] = createHash('sha256').update(bytes).digest('hex');
  }
  await writeFile(manifestPath, JSON.stringify(manifest));
});
after(() => rm(dir, { recursive: true, force: true }));

test('a decoder without batch inputs loads, runs generations alone, and keeps the golden tokens', async () => {
  const blip = await Blip.load(dir, { inferencePrecision: 'f32', concurrency: 4, batching: true });
  try {
    const ctx = engineContext(blip);
    assert.equal(ctx.batchInputs, false);
    assert.equal(ctx.batch, null, 'no batch without the inputs it needs');
    await answersMatchGolden(blip, join(dir, 'golden/golden.json'));
  } finally {
    await blip.dispose();
  }
});

test('batching: false runs a folder with batch inputs alone too, with the same tokens', async () => {
  const blip = await Blip.load(resolve(MODELS, 'tiny-vqa'), {
    inferencePrecision: 'f32',
    concurrency: 4,
    batching: false,
  });
  try {
    const ctx = engineContext(blip);
    assert.equal(ctx.batchInputs, true);
    assert.equal(ctx.batch, null);
    await answersMatchGolden(blip, resolve(MODELS, 'tiny-vqa/golden/golden.json'));
  } finally {
    await blip.dispose();
  }
});

/** The first fixture image's greedy answers, all at once, equal the golden ones. */
async function answersMatchGolden(blip: Blip, goldenPath: string): Promise<void> {
  const golden = JSON.parse(await readFile(goldenPath, 'utf8'));
  const eos: number = golden.tokens.eos;
  const image = golden.images[0];
  const pixels = {
    key: `golden:${image.file}`,
    width: 64,
    height: 64,
    format: 'raw' as const,
    pixels: Float32Array.from(image.pixel_values.values as number[]),
    preprocessMs: 0,
  };
  const answers = image.answers as { question: number; greedy: { generated: number[] } }[];
  const results = await Promise.all(
    answers.map((a) => blip.answer(pixels, golden.questions[a.question].text)),
  );
  answers.forEach((a, i) => {
    const want = a.greedy.generated.at(-1) === eos ? a.greedy.generated.slice(0, -1) : a.greedy.generated;
    assert.deepEqual(results[i]?.tokenIds, want, `answer ${a.question}`);
  });
}
