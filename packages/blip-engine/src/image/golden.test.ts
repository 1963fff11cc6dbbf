// Pixels against the toolchain's golden fixtures (models/<model>/golden/golden.json, layout in models/GOLDEN.md):
// what BlipProcessor produced for models/fixtures/images/* at each model's image size.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { prepareImage } from './prepare.js';
import { parseImageSpec } from './spec.js';

const MODELS = resolve(import.meta.dirname, '../../../../models');
const IMAGES = join(MODELS, 'fixtures/images');

/** Golden values are rounded to 7 decimals and ours differ from Pillow's by float32 rounding only (≤ 2.4e-7). */
const MAX_ABS_ERROR = 1e-5;

interface Summary {
  shape: number[];
  mean: number;
  std: number;
  min: number;
  max: number;
  first: number[];
  last: number[];
  row0: number[];
  values?: number[];
}

interface GoldenImage {
  file: string;
  width: number;
  height: number;
  pixel_values: Summary;
}

const folders = existsSync(MODELS)
  ? readdirSync(MODELS).filter((name) => existsSync(join(MODELS, name, 'golden/golden.json')))
  : [];

/** Statistics of our tensor in the summary's terms. */
function summarize(pixels: Float32Array, size: number): Omit<Summary, 'shape' | 'values'> {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of pixels) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / pixels.length;
  let squares = 0;
  for (const v of pixels) squares += (v - mean) ** 2;
  const head = (a: Float32Array) => Array.from(a.subarray(0, 8));
  return {
    mean,
    std: Math.sqrt(squares / pixels.length),
    min,
    max,
    first: head(pixels),
    last: Array.from(pixels.subarray(-8)),
    row0: head(pixels.subarray(0, size)),
  };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
};

describe('pixels equal the golden fixtures', {
  skip: folders.length === 0 && 'no models/*/golden/golden.json yet',
}, () => {
  for (const folder of folders) {
    test(`${folder}: every fixture image within ${MAX_ABS_ERROR}`, async () => {
      const golden = JSON.parse(readFileSync(join(MODELS, folder, 'golden/golden.json'), 'utf8')) as {
        images: GoldenImage[];
      };
      const manifest = JSON.parse(readFileSync(join(MODELS, folder, 'manifest.json'), 'utf8'));
      const spec = parseImageSpec(manifest.image);
      assert.ok(golden.images.length > 0);
      for (const record of golden.images) {
        const out = await prepareImage(readFileSync(join(IMAGES, record.file)), spec);
        assert.deepEqual([out.width, out.height], [record.width, record.height], record.file);
        const ref = record.pixel_values;
        assert.deepEqual(ref.shape, [1, 3, spec.size, spec.size]);
        const ours = summarize(out.pixels, spec.size);
        const errors = {
          values: ref.values ? maxDiff(out.pixels, ref.values) : Number.NaN,
          stats: Math.max(...(['mean', 'std', 'min', 'max'] as const).map((k) => Math.abs(ours[k] - ref[k]))),
          heads: Math.max(
            maxDiff(ours.first, ref.first),
            maxDiff(ours.last, ref.last),
            maxDiff(ours.row0, ref.row0),
          ),
        };
        console.log(
          `${folder} ${record.file}: max abs error ${errors.values.toExponential(2)} (all values), stats ${errors.stats.toExponential(2)}, first/last/row0 ${errors.heads.toExponential(2)}`,
        );
        for (const [what, error] of Object.entries(errors)) {
          if (!Number.isNaN(error)) assert.ok(error <= MAX_ABS_ERROR, `${record.file} ${what}: ${error}`);
        }
      }
    });
  }
});
