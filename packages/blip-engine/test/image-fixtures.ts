// Test inputs made with sharp (and zlib for the bomb) at test time, so no binary fixture is committed.
import { deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

const RED = { r: 220, g: 20, b: 20 };
const BLUE = { r: 20, g: 20, b: 220 };

/** A w×h image of one colour, encoded by `encode` (PNG by default). */
function solid(
  width: number,
  height: number,
  background: { r: number; g: number; b: number; alpha?: number },
): Sharp {
  return sharp({ create: { width, height, channels: background.alpha === undefined ? 3 : 4, background } });
}

/** Left half red, right half blue, w×h: orientation tests can tell where each half went. */
export async function halves(width: number, height: number): Promise<Sharp> {
  const right = await solid(width - Math.floor(width / 2), height, BLUE)
    .png()
    .toBuffer();
  return solid(width, height, RED).composite([{ input: right, left: Math.floor(width / 2), top: 0 }]);
}

/** Gaussian-noise photo stand-in: JPEG compresses it poorly, so truncation removes real scan data. */
export async function noisyJpeg(width = 256, height = 192): Promise<Buffer> {
  const noise = { type: 'gaussian' as const, mean: 128, sigma: 50 };
  return sharp({ create: { width, height, channels: 3, background: '#000', noise } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** PNG chunk: length, type, data, CRC-32 over type + data. */
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A valid 1-bit greyscale PNG of width×height, all black: a few KB on disk, width·height pixels when decoded. */
export function bombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, no interlace
  const rows = Buffer.alloc(height * (1 + Math.ceil(width / 8))); // filter byte 0 + packed zero bits per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Two frames, red then blue: the first frame must be the one used. */
export async function animatedGif(): Promise<Buffer> {
  const frames = await Promise.all([RED, BLUE].map((c) => solid(32, 32, c).png().toBuffer()));
  return sharp(frames, { join: { animated: true } })
    .gif({ delay: [100, 100] })
    .toBuffer();
}

/** Red in a CMYK JPEG. */
export async function cmykJpeg(): Promise<Buffer> {
  return solid(48, 32, RED).toColourspace('cmyk').jpeg().toBuffer();
}

/** 16-bit RGBA PNG: red at alpha 50% (left) and opaque blue (right). */
export async function rgba16Png(): Promise<Buffer> {
  const right = await solid(16, 16, { ...BLUE, alpha: 1 })
    .png()
    .toBuffer();
  return solid(32, 16, { ...RED, alpha: 0.5 })
    .composite([{ input: right, left: 16, top: 0 }])
    .toColourspace('rgb16')
    .png()
    .toBuffer();
}

/** A w×h halves image stored landscape with EXIF orientation 6 (display rotated 90° clockwise). */
export async function exifRotatedJpeg(width = 64, height = 32): Promise<Buffer> {
  const stored = await (await halves(width, height)).jpeg({ quality: 95 }).toBuffer();
  return sharp(stored).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
}

export const SVG = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="red"/></svg>',
);
