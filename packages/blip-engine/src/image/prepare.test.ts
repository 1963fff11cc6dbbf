import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import {
  animatedGif,
  bombPng,
  cmykJpeg,
  exifRotatedJpeg,
  halves,
  noisyJpeg,
  rgba16Png,
  SVG,
} from '../../test/image-fixtures.js';
import { BlipError } from '../errors.js';
import { DEFAULT_IMAGE_LIMITS } from './limits.js';
import { prepareImage } from './prepare.js';
import type { ImageSpec } from './spec.js';

const SPEC: ImageSpec = {
  size: 32,
  resample: 'bicubic',
  rescale_factor: 1 / 255,
  mean: [0.48145466, 0.4578275, 0.40821073],
  std: [0.26862954, 0.26130258, 0.27577711],
};

/** The 8-bit RGB value the normalised tensor holds at (x, y): undoes (v/255 − mean)/std. */
function rgbAt(pixels: Float32Array, x: number, y: number): [number, number, number] {
  const plane = SPEC.size * SPEC.size;
  const at = (c: number) =>
    Math.round(
      ((pixels[c * plane + y * SPEC.size + x] as number) * (SPEC.std[c] as number) +
        (SPEC.mean[c] as number)) /
        SPEC.rescale_factor,
    );
  return [at(0), at(1), at(2)];
}

const near = (actual: number[], expected: number[], tolerance: number) =>
  assert.ok(
    actual.every((v, i) => Math.abs(v - (expected[i] as number)) <= tolerance),
    `${actual} ≉ ${expected}`,
  );

const rejectsWith = (promise: Promise<unknown>, code: string, pattern: RegExp) =>
  assert.rejects(
    promise,
    (e: unknown) => e instanceof BlipError && e.code === code && pattern.test(e.message),
  );

describe('prepareImage: good inputs', () => {
  test('returns [1,3,S,S] float32, the sha256 key, source size and format', async () => {
    const png = await (await halves(60, 40)).png().toBuffer();
    const out = await prepareImage(png, SPEC);
    assert.equal(out.pixels.length, 3 * SPEC.size * SPEC.size);
    assert.equal(out.key, createHash('sha256').update(png).digest('hex'));
    assert.deepEqual([out.width, out.height, out.format], [60, 40, 'png']);
    assert.ok(out.preprocessMs > 0);
    near(rgbAt(out.pixels, 2, 16), [220, 20, 20], 1);
    near(rgbAt(out.pixels, 29, 16), [20, 20, 220], 1);
  });

  test('1×1 pixel is upscaled, not refused', async () => {
    const png = await sharp({
      create: { width: 1, height: 1, channels: 3, background: { r: 10, g: 200, b: 30 } },
    })
      .png()
      .toBuffer();
    const out = await prepareImage(png, SPEC);
    near(rgbAt(out.pixels, 0, 0), [10, 200, 30], 0);
    near(rgbAt(out.pixels, 31, 31), [10, 200, 30], 0);
  });

  test('EXIF orientation 6 is applied: the stored left half (red) ends up on top', async () => {
    const out = await prepareImage(await exifRotatedJpeg(64, 32), SPEC);
    assert.deepEqual([out.width, out.height], [32, 64]);
    near(rgbAt(out.pixels, 16, 2), [220, 20, 20], 12);
    near(rgbAt(out.pixels, 16, 29), [20, 20, 220], 12);
  });

  test('animated GIF: the first frame (red) is used, not the second (blue)', async () => {
    const out = await prepareImage(await animatedGif(), SPEC);
    assert.equal(out.format, 'gif');
    assert.deepEqual([out.width, out.height], [32, 32]);
    near(rgbAt(out.pixels, 16, 16), [220, 20, 20], 3);
  });

  test('CMYK JPEG becomes sRGB red again', async () => {
    const out = await prepareImage(await cmykJpeg(), SPEC);
    const [r, g, b] = rgbAt(out.pixels, 16, 16);
    assert.ok(r > 180 && g < 80 && b < 80, `CMYK red came out as ${[r, g, b]}`);
  });

  test('16-bit PNG with alpha: 8-bit sRGB, half-transparent red composited on white', async () => {
    const png = await rgba16Png();
    assert.equal((await sharp(png).metadata()).depth, 'ushort');
    const out = await prepareImage(png, SPEC);
    // 50% red (220,20,20) over white: 255 − (255 − v)·0.5 ≈ (238, 138, 138).
    near(rgbAt(out.pixels, 3, 8), [238, 138, 138], 2);
    near(rgbAt(out.pixels, 28, 8), [20, 20, 220], 1);
  });

  test('WebP, TIFF and AVIF are accepted and sniffed from the bytes', async () => {
    const base = await halves(40, 40);
    for (const [format, bytes] of [
      ['webp', await base.clone().webp({ lossless: true }).toBuffer()],
      ['tiff', await base.clone().tiff().toBuffer()],
      ['avif', await base.clone().avif({ lossless: true }).toBuffer()],
    ] as const) {
      const out = await prepareImage(bytes, SPEC);
      assert.equal(out.format, format);
      near(rgbAt(out.pixels, 2, 16), [220, 20, 20], 6);
    }
  });
});

describe('prepareImage: bad inputs are typed errors', () => {
  test('0 bytes, text, and SVG are INVALID_IMAGE naming the accepted formats', async () => {
    await rejectsWith(
      prepareImage(new Uint8Array(0), SPEC),
      'INVALID_IMAGE',
      /empty.*JPEG, PNG, WebP, GIF, TIFF, AVIF/,
    );
    await rejectsWith(
      prepareImage(Buffer.from('just some text, not a picture'), SPEC),
      'INVALID_IMAGE',
      /not a supported image format.*JPEG/,
    );
    await rejectsWith(prepareImage(SVG, SPEC), 'INVALID_IMAGE', /SVG.*not accepted.*JPEG/);
    await rejectsWith(prepareImage('x' as unknown as Uint8Array, SPEC), 'INVALID_IMAGE', /bytes/);
  });

  test('truncated JPEG and PNG are INVALID_IMAGE, never silently grey', async () => {
    const jpeg = await noisyJpeg();
    await rejectsWith(
      prepareImage(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), SPEC),
      'INVALID_IMAGE',
      /corrupt|truncated/,
    );
    const png = await sharp({
      create: {
        width: 128,
        height: 128,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 50 },
      },
    })
      .png()
      .toBuffer();
    await rejectsWith(
      prepareImage(png.subarray(0, Math.floor(png.length * 0.6)), SPEC),
      'INVALID_IMAGE',
      /corrupt|truncated/,
    );
    await rejectsWith(prepareImage(png.subarray(0, 30), SPEC), 'INVALID_IMAGE', /header|corrupt/);
  });

  test('HEIC (HEVC) is refused: sharp has no HEVC decoder', async () => {
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'),
      Buffer.alloc(64),
    ]);
    await rejectsWith(prepareImage(heic, SPEC), 'INVALID_IMAGE', /HEIC.*cannot be decoded.*JPEG, PNG/);
  });

  test('a 20000×20000 PNG bomb of a few KB is refused from its header, fast, without decoding', async () => {
    const bomb = bombPng(20_000, 20_000);
    assert.ok(bomb.length < 100_000, `bomb is ${bomb.length} bytes`);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    await rejectsWith(prepareImage(bomb, SPEC), 'IMAGE_TOO_LARGE', /20000×20000.*at most 12000/);
    await rejectsWith(
      prepareImage(bomb, SPEC, { ...DEFAULT_IMAGE_LIMITS, maxDimension: 50_000 }),
      'IMAGE_TOO_LARGE',
      /400000000 pixels; at most 40000000/,
    );
    assert.ok(performance.now() - started < 1000, 'refusal took over a second');
    assert.ok(process.memoryUsage().rss - rssBefore < 200 * 1024 * 1024, 'refusal allocated the image');
  });

  test('limits are settings: file bytes, pixels and sides', async () => {
    const png = await (await halves(100, 50)).png().toBuffer();
    await rejectsWith(
      prepareImage(png, SPEC, { ...DEFAULT_IMAGE_LIMITS, maxInputBytes: 100 }),
      'IMAGE_TOO_LARGE',
      /bytes; at most 100/,
    );
    await rejectsWith(
      prepareImage(png, SPEC, { ...DEFAULT_IMAGE_LIMITS, maxPixels: 4999 }),
      'IMAGE_TOO_LARGE',
      /5000 pixels/,
    );
    await rejectsWith(
      prepareImage(png, SPEC, { ...DEFAULT_IMAGE_LIMITS, maxDimension: 99 }),
      'IMAGE_TOO_LARGE',
      /100×50/,
    );
    await rejectsWith(prepareImage(bombPng(13_000, 8), SPEC), 'IMAGE_TOO_LARGE', /13000×8/);
    assert.equal(
      (await prepareImage(png, SPEC, { ...DEFAULT_IMAGE_LIMITS, maxPixels: 5000, maxDimension: 100 })).width,
      100,
    );
  });
});
