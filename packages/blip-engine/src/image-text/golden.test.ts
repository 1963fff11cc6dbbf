// The engine's image-text calls against Hugging Face's BlipForImageTextRetrieval on the committed tiny-vqa
// (models/tiny-vqa/golden/image_text.json, written by `npm run models -- tiny-models`): image and text feature
// vectors, their cosine similarity and the matching probability, within the golden's stated tolerance, on the
// processor's pixels and through our own preprocessing from the files (Pillow's resize, rewritten: the pixels match
// within 1e-5, image/golden.test.ts). A folder without the parts (tiny-caption) loads as before and refuses image-text calls.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Blip } from '../engine/blip.js';
import { BlipError } from '../errors.js';
import type { PreparedImage } from '../image/index.js';
import { cosine } from './features.js';

const MODELS = resolve(import.meta.dirname, '../../../../models');
const FOLDER = resolve(MODELS, 'tiny-vqa');

interface ImageTextGolden {
  feature_size: number;
  tolerance: { feature: number; match: number };
  images: { file: string; image_feature: number[] }[];
  texts: { text: string; input_ids: number[]; text_feature: number[] }[];
  similarity: number[][];
  match: number[][];
}
interface PixelGolden {
  images: { file: string; pixel_values: { shape: number[]; values: number[] } }[];
}

const golden = JSON.parse(readFileSync(resolve(FOLDER, 'golden/image_text.json'), 'utf8')) as ImageTextGolden;
const pixelGolden = JSON.parse(readFileSync(resolve(FOLDER, 'golden/golden.json'), 'utf8')) as PixelGolden;

function prepared(file: string): PreparedImage {
  const record = pixelGolden.images.find((r) => r.file === file);
  if (!record) throw new Error(`golden.json has no ${file}`);
  const [, , height = 0, width = 0] = record.pixel_values.shape;
  const pixels = Float32Array.from(record.pixel_values.values);
  return { key: `golden:${file}`, width, height, format: 'raw', pixels, preprocessMs: 0 };
}

function assertClose(got: ArrayLike<number>, want: readonly number[], tolerance: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  const error = Math.max(...want.map((w, i) => Math.abs((got[i] as number) - w)));
  assert.ok(error <= tolerance, `${what}: max abs error ${error} > ${tolerance}`);
}

describe('tiny-vqa image-text parts equal Hugging Face BlipForImageTextRetrieval', () => {
  let blip: Blip;
  before(async () => {
    blip = await Blip.load(FOLDER, { inferencePrecision: 'f32' });
  });
  after(() => blip?.dispose());

  test('capabilities come from the parts present', () => {
    assert.deepEqual(blip.info.capabilities, ['caption', 'answer', 'embed', 'match']);
  });

  test('image features, text features, cosine similarities and match probabilities', async () => {
    const { feature, match } = golden.tolerance;
    for (const [i, record] of golden.images.entries()) {
      const image = await blip.embedImage(prepared(record.file));
      assertClose(image, record.image_feature, feature, `${record.file} image feature`);
      for (const [j, text] of golden.texts.entries()) {
        const vector = await blip.embedText(text.text);
        assertClose(vector, text.text_feature, feature, `text ${j} feature`);
        const similarity = cosine(image, vector);
        assertClose(
          [similarity],
          [golden.similarity[i]?.[j] as number],
          feature,
          `${record.file} × text ${j}`,
        );
        const probability = await blip.match(prepared(record.file), text.text);
        assertClose([probability], [golden.match[i]?.[j] as number], match, `${record.file} ~ text ${j}`);
      }
    }
  });

  test('from the image files through our own preprocessing', async () => {
    for (const record of golden.images) {
      const bytes = new Uint8Array(readFileSync(resolve(MODELS, 'fixtures/images', record.file)));
      const image = await blip.embedImage(bytes);
      assertClose(image, record.image_feature, golden.tolerance.feature, `${record.file} from file`);
    }
  });

  test('an image feature is computed once: the second call runs no encoder', async () => {
    await blip.embedImage(prepared(golden.images[0]?.file as string));
    const before = blip.stats();
    await blip.embedImage(prepared(golden.images[0]?.file as string));
    assert.deepEqual(blip.stats(), before);
  });
});

test('a folder without image-text parts loads as before and refuses embed and match', async () => {
  const blip = await Blip.load(resolve(MODELS, 'tiny-caption'));
  try {
    assert.deepEqual(blip.info.capabilities, ['caption']);
    const unsupported = (error: unknown) => error instanceof BlipError && error.code === 'UNSUPPORTED_TASK';
    assert.throws(() => blip.embedText('a red circle'), unsupported);
    const image = prepared(golden.images[0]?.file as string);
    assert.throws(() => blip.match({ ...image, pixels: new Float32Array(3 * 64 * 64) }, 'a'), unsupported);
  } finally {
    await blip.dispose();
  }
});
