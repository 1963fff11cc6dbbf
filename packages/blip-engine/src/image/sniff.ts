import { BlipError } from '../errors.js';

/** Image formats we decode, named as sharp names them. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif';

/** What the INVALID_IMAGE message tells people they may send. */
export const ACCEPTED_FORMATS = 'JPEG, PNG, WebP, GIF, TIFF, AVIF';

const ascii = (bytes: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

/** The major and compatible brands of an ISO-BMFF file's leading ftyp box (empty if there is none). */
function ftypBrands(bytes: Uint8Array): string[] {
  if (ascii(bytes, 4, 8) !== 'ftyp') return [];
  const boxSize = Math.min(
    ((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0),
    64,
  );
  const brands: string[] = [ascii(bytes, 8, 12)];
  for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(ascii(bytes, at, at + 4));
  return brands;
}

/** AV1 image brands; HEVC ones (heic, heix, …) are refused: sharp's libheif has no HEVC decoder. */
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEVC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis']);

/** Says what the bytes are from their leading magic numbers (never from a file name); refuses SVG and everything else. */
export function sniffFormat(bytes: Uint8Array): ImageFormat {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'tiff';
  const brands = ftypBrands(bytes);
  if (brands.some((b) => AVIF_BRANDS.has(b))) return 'avif';
  if (brands.some((b) => HEVC_BRANDS.has(b))) {
    throw new BlipError(
      'INVALID_IMAGE',
      `HEIC (HEVC) images cannot be decoded here; send ${ACCEPTED_FORMATS}`,
    );
  }
  const head = ascii(bytes, 0, 256)
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .toLowerCase();
  if (
    head.startsWith('<svg') ||
    (head.startsWith('<?xml') && head.includes('<svg')) ||
    head.startsWith('<!doctype svg')
  ) {
    throw new BlipError('INVALID_IMAGE', `SVG images are not accepted; send ${ACCEPTED_FORMATS}`);
  }
  if (bytes.length === 0)
    throw new BlipError('INVALID_IMAGE', `the image is empty (0 bytes); send ${ACCEPTED_FORMATS}`);
  throw new BlipError('INVALID_IMAGE', `not a supported image format; send ${ACCEPTED_FORMATS}`);
}
