import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BlipError } from '../errors.js';
import { readModelFolder } from './model-folder.js';
import { tensorNames } from './parts.js';

const made: string[] = [];
after(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

const PART_NAMES = ['vision_model', 'text_encoder', 'text_decoder_cross_kv', 'text_decoder'];

/** Writes a folder with small stand-in part files and a manifest whose hashes match them; `edit` changes it first. */
// biome-ignore lint/suspicious/noExplicitAny: the tests edit arbitrary manifest JSON, including wrong types
type Json = Record<string, any>;

async function folderWith(edit: (m: Json) => void = () => {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'blip-folder-'));
  made.push(dir);
  const files: Record<string, string> = {};
  const parts: Record<string, unknown> = {};
  for (const name of PART_NAMES) {
    for (const ext of ['xml', 'bin']) {
      const content = `${name}.${ext} content`;
      await writeFile(join(dir, `${name}.${ext}`), content);
      files[`${name}.${ext}`] = createHash('sha256').update(content).digest('hex');
    }
    parts[name] = { xml: `${name}.xml`, bin: `${name}.bin`, precision: 'fp32' };
  }
  const manifest: Json = {
    format: 1,
    name: 't',
    family: 'blip-vqa',
    source: 'test',
    created_with: { transformers: '5.23.0', torch: '2.13.0', openvino: '2026.4.1' },
    image: { size: 32, resample: 'bicubic', rescale_factor: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1] },
    tokens: { decoder_start: 10, eos: 3, pad: 0, vocab_size: 12 },
    vision: { tokens: 5, hidden: 8 },
    decoder: { layers: 2, heads: 2, head_size: 4, hidden: 8, max_positions: 64 },
    generation: { max_length: 20, min_length: 0, num_beams: 1, repetition_penalty: 1, length_penalty: 1 },
    caption_prompt: null,
    parts,
    quantization: null,
    files,
  };
  edit(manifest);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

/** Asserts a MODEL_INVALID rejection whose message matches `pattern`. */
async function rejects(folder: Promise<string> | string, pattern: RegExp): Promise<void> {
  await assert.rejects(readModelFolder(await folder), (error: unknown) => {
    assert.ok(error instanceof BlipError);
    assert.equal(error.code, 'MODEL_INVALID');
    assert.match(error.message, pattern);
    return true;
  });
}

test('a complete folder is read with its parts in pipeline order', async () => {
  const folder = await readModelFolder(await folderWith());
  assert.deepEqual(
    folder.parts.map((p) => p.spec.name),
    PART_NAMES,
  );
  assert.equal(folder.manifest.decoder.layers, 2);
});

test('a captioning folder needs no text encoder', async () => {
  const folder = await readModelFolder(
    await folderWith((m) => {
      m.family = 'blip-caption';
    }),
  );
  assert.ok(!folder.parts.some((p) => p.spec.name === 'text_encoder'));
});

test('missing folder, missing manifest, corrupt JSON', async () => {
  await rejects('/nonexistent/blip-model', /does not exist/);
  const empty = await mkdtemp(join(tmpdir(), 'blip-empty-'));
  made.push(empty);
  await rejects(empty, /has no manifest\.json/);
  await writeFile(join(empty, 'manifest.json'), '{ not json');
  await rejects(empty, /not valid JSON/);
});

test('unknown format or family, bad fields', async () => {
  await rejects(
    folderWith((m) => {
      m.format = 2;
    }),
    /format must be 1/,
  );
  await rejects(
    folderWith((m) => {
      m.family = 'blip-2';
    }),
    /family must be one of/,
  );
  await rejects(
    folderWith((m) => {
      m.decoder.layers = 'two';
    }),
    /decoder\.layers must be integer/,
  );
  await rejects(
    folderWith((m) => {
      m.parts.text_decoder.precision = 'fp8';
    }),
    /precision must be one of/,
  );
  await rejects(
    folderWith((m) => {
      m.answer_memory = 'image';
    }),
    /answer_memory must be one of question, question\+image/,
  );
  const joined = await readModelFolder(
    await folderWith((m) => {
      m.answer_memory = 'question+image';
    }),
  );
  assert.equal(joined.manifest.answer_memory, 'question+image');
  await rejects(
    folderWith((m) => {
      m.answer_memory = 'question+image';
      m.vision.hidden = 16;
    }),
    /answer_memory is question\+image, but vision\.hidden \(16\) and decoder\.hidden \(8\) differ/,
  );
});

test('a VQA family without its text encoder is refused', async () => {
  await rejects(
    folderWith((m) => {
      delete m.parts.text_encoder;
    }),
    /parts\.text_encoder is missing/,
  );
});

test('a missing file and a file whose bytes changed (hash mismatch) are refused', async () => {
  const missing = await folderWith();
  await rm(join(missing, 'text_decoder.bin'));
  await rejects(missing, /text_decoder\.bin is listed in the manifest but missing/);
  const corrupt = await folderWith();
  await writeFile(join(corrupt, 'vision_model.bin'), 'flipped bits');
  await rejects(corrupt, /vision_model\.bin is corrupt or replaced/);
});

test('tensor-name templates expand per decoder layer', () => {
  assert.deepEqual(tensorNames(['logits', 'present_key.{i}'], 2), [
    'logits',
    'present_key.0',
    'present_key.1',
  ]);
});

test('the manifest is checked against models/manifest.schema.json: unknown fields and a bad card are refused', async () => {
  await rejects(
    folderWith((m) => {
      m.colour = 'red';
    }),
    /manifest field colour is not a manifest field/,
  );
  await rejects(
    folderWith((m) => {
      m.card = { summary: 'shapes', question_types: [{ name: 'count', examples: [] }], outside_answer: null };
    }),
    /card\.question_types\.0\.examples must NOT have fewer than 1 items/,
  );
  await rejects(
    folderWith((m) => {
      m.confidence_threshold = 1.5;
    }),
    /confidence_threshold must be <= 1/,
  );
  const card = {
    summary: 'shapes',
    question_types: [{ name: 'count', examples: ['how many?'] }],
    outside_answer: null,
  };
  const folder = await readModelFolder(
    await folderWith((m) => {
      m.card = card;
      m.confidence_threshold = 0.5;
    }),
  );
  assert.deepEqual(folder.manifest.card, card);
});
