// The pixels must equal Hugging Face's BlipImageProcessor, run here by the venv's transformers on the same files.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import sharp from 'sharp';
import { halves, noisyJpeg } from '../../test/image-fixtures.js';
import { absError, processorPixels } from '../../test/processor-reference.js';
import { prepareImage } from './prepare.js';
import type { ImageSpec } from './spec.js';

/**
 * Tolerance on normalised values. Our resize is Pillow's fixed-point convolution itself, so the only difference
 * left is float32 rounding in the normalisation (measured max 2.4e-7); 1e-5 is far below one 8-bit step (≈0.0146).
 */
const MAX_ABS_ERROR = 1e-5;

const FIXTURES = resolve(import.meta.dirname, '../../../../models/fixtures/images');

/** A 16-bit PNG of pseudo-random samples: Pillow reads 16-bit RGB(A) as the high bytes, as sharp's conversion does. */
async function png16(channels: 3 | 4): Promise<Buffer> {
  const samples = new Uint16Array(40 * 30 * channels).map((_, k) => ((k * 2654435761) >>> 16) & 0xffff);
  return sharp(Buffer.from(samples.buffer), { raw: { width: 40, height: 30, channels } })
    .toColourspace('rgb16')
    .png()
    .toBuffer();
}

/** The toolchain's fixture images if committed, plus images made here that stress up- and downscaling and alpha. */
async function imageFiles(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'blip-accuracy-'));
  const made: Array<[string, Buffer]> = [
    ['halves-97x41.png', await (await halves(97, 41)).png().toBuffer()],
    ['noise-256x192.jpg', await noisyJpeg()],
    [
      'noise-1000x30.png',
      await sharp({
        create: {
          width: 1000,
          height: 30,
          channels: 4,
          background: '#000',
          noise: { type: 'gaussian', mean: 128, sigma: 60 },
        },
      })
        .png()
        .toBuffer(),
    ],
    // Grey + alpha (Pillow mode LA) and a palette with transparency (mode P + tRNS): both composited on white.
    [
      'grey-alpha-45x33.png',
      await sharp({
        create: {
          width: 45,
          height: 33,
          channels: 4,
          background: '#000',
          noise: { type: 'gaussian', mean: 128, sigma: 70 },
        },
      })
        .toColourspace('b-w')
        .png()
        .toBuffer(),
    ],
    [
      'palette-alpha-70x50.png',
      await sharp({
        create: {
          width: 70,
          height: 50,
          channels: 4,
          background: '#000',
          noise: { type: 'gaussian', mean: 128, sigma: 70 },
        },
      })
        .png({ palette: true, colours: 16 })
        .toBuffer(),
    ],
    ['rgb16-40x30.png', await png16(3)],
    ['rgba16-40x30.png', await png16(4)],
    // CMYK: Pillow converts with its own formula, not a colour profile.
    [
      'cmyk-60x40.jpg',
      await sharp({
        create: {
          width: 60,
          height: 40,
          channels: 3,
          background: '#000',
          noise: { type: 'gaussian', mean: 128, sigma: 60 },
        },
      })
        .toColourspace('cmyk')
        .jpeg({ quality: 95 })
        .toBuffer(),
    ],
    // Display-P3-tagged: Pillow ignores the profile, so the stored values must come through unconverted.
    [
      'p3-tagged-50x70.png',
      await sharp({
        create: {
          width: 50,
          height: 70,
          channels: 3,
          background: '#000',
          noise: { type: 'gaussian', mean: 128, sigma: 60 },
        },
      })
        .withIccProfile('p3')
        .png()
        .toBuffer(),
    ],
  ];
  for (const [name, bytes] of made) writeFileSync(join(dir, name), bytes);
  const committed = existsSync(FIXTURES)
    ? readdirSync(FIXTURES)
        .sort()
        .map((f) => join(FIXTURES, f))
    : [];
  return [...committed, ...made.map(([name]) => join(dir, name))];
}

const spec = (size: number): ImageSpec => ({
  size,
  resample: 'bicubic',
  rescale_factor: 1 / 255,
  mean: [0.48145466, 0.4578275, 0.40821073],
  std: [0.26862954, 0.26130258, 0.27577711],
});

for (const size of [64, 384]) {
  describe(`pixels equal BlipImageProcessor at ${size}×${size}`, () => {
    let files: string[];
    let reference: Float32Array[];
    before(async () => {
      files = await imageFiles();
      reference = processorPixels(files, size);
    });

    test(`max abs error ≤ ${MAX_ABS_ERROR} for every image`, async () => {
      for (const [i, file] of files.entries()) {
        const { pixels } = await prepareImage(readFileSync(file), spec(size));
        const error = absError(pixels, reference[i] as Float32Array);
        console.log(
          `${size}px ${file.split('/').at(-1)}: max ${error.max.toExponential(2)}, mean ${error.mean.toExponential(2)}`,
        );
        assert.ok(error.max <= MAX_ABS_ERROR, `${file}: max abs error ${error.max}`);
      }
    });
  });
}
