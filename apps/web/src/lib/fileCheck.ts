// Checks a chosen file before it is uploaded, so an obvious mistake is explained at once without a round trip.
// The server checks again (it sniffs the bytes); this only saves the user a wait.
import { type FriendlyError, formatBytes } from './errors.js';

/** Image types the API accepts (its `limits.acceptedMimeTypes`); used until the server has told us. */
export const DEFAULT_ACCEPTED = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/tiff',
  'image/avif',
];
/** The API's default upload limit (`MAX_UPLOAD_BYTES`), used until the server has told us its own. */
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** Server limits the check uses. */
export interface UploadLimits {
  maxUploadBytes: number;
  acceptedMimeTypes: string[];
}

/** null when the file may be sent, else why not. */
export function checkFile(
  file: { name: string; type: string; size: number },
  limits: UploadLimits,
): FriendlyError | null {
  // Browsers leave the type empty for unknown extensions: let the server sniff those bytes.
  if (file.type !== '' && !limits.acceptedMimeTypes.includes(file.type)) {
    return {
      code: 'NOT_AN_IMAGE',
      message: `“${file.name}” is not an image we can read. Choose a JPEG, PNG, WebP, GIF, TIFF or AVIF picture.`,
    };
  }
  if (file.size > limits.maxUploadBytes) {
    return {
      code: 'IMAGE_TOO_LARGE',
      message: `“${file.name}” is ${formatBytes(file.size)}; the limit is ${formatBytes(limits.maxUploadBytes)}. Choose a smaller picture.`,
    };
  }
  if (file.size === 0) return { code: 'NOT_AN_IMAGE', message: `“${file.name}” is empty.` };
  return null;
}
