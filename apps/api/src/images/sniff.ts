// The file type comes from the bytes, never from the name or the client's Content-Type.

/** A recognised image container. */
export interface SniffedType {
  format: 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'avif';
  mime: string;
}

const ascii = (bytes: Uint8Array, start: number, text: string): boolean =>
  bytes.length >= start + text.length && [...text].every((c, i) => bytes[start + i] === c.charCodeAt(0));

const starts = (bytes: Uint8Array, magic: number[]): boolean =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

/** The image type whose signature the bytes start with, or null when they are not an image we decode. */
export function sniffImageType(bytes: Uint8Array): SniffedType | null {
  if (starts(bytes, [0xff, 0xd8, 0xff])) return { format: 'jpeg', mime: 'image/jpeg' };
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { format: 'png', mime: 'image/png' };
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return { format: 'gif', mime: 'image/gif' };
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return { format: 'webp', mime: 'image/webp' };
  if (starts(bytes, [0x49, 0x49, 0x2a, 0x00]) || starts(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { format: 'tiff', mime: 'image/tiff' };
  }
  // ISO-BMFF: a box of type "ftyp" whose brand is an AVIF one.
  if (ascii(bytes, 4, 'ftyp') && (ascii(bytes, 8, 'avif') || ascii(bytes, 8, 'avis'))) {
    return { format: 'avif', mime: 'image/avif' };
  }
  return null;
}
