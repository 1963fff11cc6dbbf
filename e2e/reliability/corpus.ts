// The bad-input corpus, generated at test time with sharp and Buffer tricks (no binaries are committed):
// every case is a file name, its bytes and the outcome the API must give (OK or a typed error code).
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/** One upload to try. */
export interface ImageCase {
  name: string;
  filename: string;
  bytes: Uint8Array;
  /** 'OK' (accepted) or the error code expected in extensions.code. */
  expect: string;
}

const SIDE = 48;
const bytes = (b: Buffer): Uint8Array => new Uint8Array(b);
const base = () =>
  sharp({ create: { width: SIDE, height: SIDE, channels: 3, background: { r: 30, g: 140, b: 220 } } });

/** Sets a PNG's IHDR width and height (and fixes the chunk's CRC) without touching the pixel data. */
export function pngWithSize(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29); // CRC over type + 13 data bytes
  return out;
}

/** Sets a JPEG's frame size in its first SOF marker. */
export function jpegWithSize(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i + 9 < out.length; ) {
    const marker = out[i + 1] as number;
    const length = out.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc2) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
    i += 2 + length;
  }
  throw new Error('no SOF marker');
}

/** Sets a GIF's screen and first frame size (the frame descriptor is what decoders allocate for). */
export function gifWithSize(gif: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(gif);
  out.writeUInt16LE(width, 6);
  out.writeUInt16LE(height, 8);
  const flags = out[10] as number;
  let i = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  while (out[i] === 0x21) {
    i += 2; // extension introducer and label, then data sub-blocks until a 0 length
    while ((out[i] as number) !== 0) i += (out[i] as number) + 1;
    i += 1;
  }
  if (out[i] !== 0x2c) throw new Error('no GIF image descriptor');
  out.writeUInt16LE(width, i + 5);
  out.writeUInt16LE(height, i + 7);
  return out;
}

/** Flips every byte in a window in the middle of the file (the header stays intact). */
function corrupt(b: Buffer, from = 0.3, to = 0.7): Buffer {
  const out = Buffer.from(b);
  for (let i = Math.floor(out.length * from); i < Math.floor(out.length * to); i++)
    out[i] = (out[i] as number) ^ 0xff;
  return out;
}

const half = (b: Buffer) => b.subarray(0, Math.floor(b.length / 2));

/** Valid images in every accepted container and pixel layout: all must be accepted. */
async function validCases(): Promise<ImageCase[]> {
  const [png, jpeg, webp, gif, tiff, avif] = await Promise.all([
    base().png().toBuffer(),
    base().jpeg().toBuffer(),
    base().webp().toBuffer(),
    base().gif().toBuffer(),
    base().tiff().toBuffer(),
    base().avif({ effort: 0 }).toBuffer(),
  ]);
  const alpha = sharp({
    create: { width: SIDE, height: SIDE, channels: 4, background: { r: 9, g: 9, b: 9, alpha: 0.3 } },
  });
  const frame = (r: number) =>
    sharp({ create: { width: SIDE, height: SIDE, channels: 3, background: { r, g: 0, b: 0 } } })
      .png()
      .toBuffer();
  const animated = await sharp([await frame(255), await frame(20)], { join: { animated: true } })
    .gif()
    .toBuffer();
  const ok = (name: string, filename: string, b: Buffer): ImageCase => ({
    name,
    filename,
    bytes: bytes(b),
    expect: 'OK',
  });
  return [
    ok('PNG', 'a.png', png),
    ok('JPEG', 'a.jpg', jpeg),
    ok('WebP', 'a.webp', webp),
    ok('GIF', 'a.gif', gif),
    ok('TIFF', 'a.tiff', tiff),
    ok('AVIF', 'a.avif', avif),
    ok(
      '1×1 PNG',
      'dot.png',
      await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
        .png()
        .toBuffer(),
    ),
    ok('CMYK JPEG', 'cmyk.jpg', await base().toColourspace('cmyk').jpeg().toBuffer()),
    ok('16-bit PNG', 'deep.png', await base().toColourspace('rgb16').png().toBuffer()),
    ok('palette PNG', 'pal.png', await base().png({ palette: true }).toBuffer()),
    ok('greyscale PNG', 'grey.png', await base().greyscale().png().toBuffer()),
    ok('RGBA PNG (alpha)', 'alpha.png', await alpha.png().toBuffer()),
    ok('animated GIF (2 frames)', 'anim.gif', animated),
    ok('EXIF orientation 6 JPEG', 'rot.jpg', await base().jpeg().withMetadata({ orientation: 6 }).toBuffer()),
    ok('PNG named .jpg', 'wrong.jpg', png),
    ok('JPEG named .gif', 'wrong.gif', jpeg),
    ok('PNG named .exe', 'setup.exe', png),
    ok(
      'polyglot: PNG + appended ZIP/HTML',
      'poly.png',
      Buffer.concat([png, Buffer.from('PK\x03\x04<html><script>alert(1)</script>')]),
    ),
  ];
}

/** Broken files and refused formats: each must be a typed error, never a crash or a grey image. */
async function badCases(): Promise<ImageCase[]> {
  const [png, jpeg, webp, gif] = await Promise.all([
    base().png().toBuffer(),
    base().jpeg().toBuffer(),
    base().webp().toBuffer(),
    base().gif().toBuffer(),
  ]);
  const bad = (name: string, filename: string, b: Buffer | string, expect = 'INVALID_IMAGE'): ImageCase => ({
    name,
    filename,
    bytes: bytes(Buffer.from(b)),
    expect,
  });
  const gifBomb = Buffer.from(gif);
  gifBomb.writeUInt16LE(65_535, 6);
  gifBomb.writeUInt16LE(65_535, 8);
  return [
    bad('zero bytes', 'empty.png', Buffer.alloc(0)),
    bad('truncated PNG (half)', 't.png', half(png)),
    bad('truncated JPEG (half)', 't.jpg', half(jpeg)),
    bad('truncated WebP (half)', 't.webp', half(webp)),
    bad('truncated GIF (half)', 't.gif', half(gif)),
    bad('PNG signature only', 'sig.png', png.subarray(0, 8)),
    bad('corrupt PNG (middle bytes flipped)', 'c.png', corrupt(png)),
    bad('corrupt JPEG (header damaged)', 'c.jpg', corrupt(jpeg, 0.02, 0.2)),
    bad('corrupt WebP (middle bytes flipped)', 'c.webp', corrupt(webp)),
    bad('corrupt GIF (middle bytes flipped)', 'c.gif', corrupt(gif)),
    bad(
      'SVG',
      'a.svg',
      `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>`,
    ),
    bad('SVG named .png', 'svg.png', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
    bad('BMP', 'a.bmp', Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)])),
    bad('PDF', 'a.pdf', '%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF'),
    bad(
      'HEIC (ftyp heic)',
      'a.heic',
      Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(16)]),
    ),
    bad('HTML named .png', 'x.png', '<html><body>hi</body></html>'),
    bad('GIF magic + script', 'x.gif', 'GIF89a/*<script>alert(1)</script>*/'),
    bad('ICO', 'a.ico', Buffer.from([0, 0, 1, 0, 1, 0, 16, 16, 0, 0])),
    bad('PNG header 100000×1 (over max side)', 'wide.png', pngWithSize(png, 100_000, 1), 'IMAGE_TOO_LARGE'),
    bad(
      'PNG bomb header 10000×10000 (100 MP)',
      'bomb.png',
      pngWithSize(png, 10_000, 10_000),
      'IMAGE_TOO_LARGE',
    ),
    bad('JPEG bomb header 60000×60000', 'bomb.jpg', jpegWithSize(jpeg, 60_000, 60_000), 'IMAGE_TOO_LARGE'),
    bad('GIF bomb frame 65535×65535', 'bomb.gif', gifWithSize(gif, 65_535, 65_535), 'IMAGE_TOO_LARGE'),
    bad('GIF screen 65535×65535, frame 48×48 (decoded at frame size)', 'screen.gif', gifBomb, 'OK'),
  ];
}

/** Every image case of the corpus. */
export async function imageCorpus(): Promise<ImageCase[]> {
  return [...(await validCases()), ...(await badCases())];
}

/** A real 6-megapixel solid PNG is small on disk but 18 MB decoded: under both limits, so it must be accepted. */
export async function bigButFinePng(): Promise<Uint8Array> {
  return bytes(
    await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#123456' } })
      .png()
      .toBuffer(),
  );
}
