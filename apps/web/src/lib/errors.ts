// Turns whatever went wrong (a GraphQL error code, a network failure) into one short, friendly sentence.
import type { CombinedError } from '@urql/core';

/** What the UI shows: a kind (for styling and tests) and a sentence for people. */
export interface FriendlyError {
  code: string;
  message: string;
}

const MiB = 1024 * 1024;

/** "20 MB" for a byte count. */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${Math.round((bytes / MiB) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** The sentence for a machine-readable code; `detail` is the server's own message, kept for codes we do not know. */
export function friendly(code: string, detail = ''): FriendlyError {
  const message = MESSAGES[code] ?? (detail || 'Something went wrong. Please try again.');
  return { code, message };
}

const MESSAGES: Record<string, string> = {
  NOT_AN_IMAGE: 'That file is not an image. Choose a JPEG, PNG, WebP, GIF, TIFF or AVIF picture.',
  INVALID_IMAGE:
    'That file could not be read as an image. Choose a JPEG, PNG, WebP, GIF, TIFF or AVIF picture.',
  IMAGE_TOO_LARGE: 'That image is too large for this server. Choose a smaller picture.',
  OVERLOADED: 'The server is busy answering other questions. Please try again in a moment.',
  SHUTTING_DOWN: 'The server is restarting. Please try again in a moment.',
  API_UNREACHABLE: 'Cannot reach the answer server. Check that it is running, then try again.',
  NETWORK: 'Cannot reach the server. Check your connection, then try again.',
  NOT_FOUND: 'That conversation no longer exists.',
  INVALID_QUESTION: 'That question cannot be asked. Keep it shorter and try again.',
};

/** True when the error says the server could not be reached at all (then the app reconnects by itself). */
export function isUnreachable(error: FriendlyError | null): boolean {
  return error?.code === 'API_UNREACHABLE' || error?.code === 'NETWORK';
}

/** The friendly form of an urql error: the first GraphQL error's code, else a network failure. */
export function fromCombinedError(error: CombinedError): FriendlyError {
  const first = error.graphQLErrors[0];
  if (first) {
    const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL_SERVER_ERROR';
    const f = friendly(code, first.message);
    // Option errors name the field; the server's own sentence says exactly what is wrong with it.
    return code === 'INVALID_OPTIONS' || code === 'BAD_USER_INPUT' ? { code, message: first.message } : f;
  }
  const status = (error.response as Response | undefined)?.status;
  if (status === 502 || status === 503 || status === 504) return friendly('API_UNREACHABLE');
  return friendly('NETWORK');
}
