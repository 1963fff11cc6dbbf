// Who is calling: a bearer token, or an anonymous per-browser key (cookie or x-owner-key header).
// Only a hash is ever stored, so the database never holds a usable credential.
import { createHash, randomBytes } from 'node:crypto';
import { ApiError } from './errors.js';

/** The caller's owner id, the anonymous key issued to it when it brought none, and the key its response sets as
 * the owner cookie (the issued one, or a header's key the cookie lacks: `<img src>` cannot send headers, and the
 * cookie's name is this API's setting, so the API writes the cookie, never a client). */
export interface Caller {
  owner: string;
  issuedKey?: string;
  cookieKey?: string;
}

const ANON_KEY = /^[A-Za-z0-9_-]{16,256}$/;

const hash = (kind: string, secret: string) => `${kind}:${createHash('sha256').update(secret).digest('hex')}`;

/** The stored owner id of an anonymous key (tests compare stored rows with it). */
export const anonOwner = (key: string): string => hash('anon', key);

/** Reads one cookie from a Cookie header; a value that is not valid percent-encoding reads as absent. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Where owner credentials can come from on one request or WebSocket connection. */
export interface CallerSource {
  authorization?: string | null | undefined;
  ownerKey?: string | null | undefined;
  cookie?: string | null | undefined;
}

/** Works out the owner; a caller with no key gets a fresh one (the server sets it as a cookie). */
export function identifyCaller(source: CallerSource, cookieName: string): Caller {
  const auth = source.authorization?.trim();
  if (auth) {
    const match = /^Bearer\s+(\S{1,4096})$/i.exec(auth);
    if (!match?.[1]) throw new ApiError('UNAUTHENTICATED', 'Authorization must be "Bearer <token>"');
    return { owner: hash('bearer', match[1]) };
  }
  const header = source.ownerKey?.trim();
  if (header) {
    if (!ANON_KEY.test(header)) {
      throw new ApiError('UNAUTHENTICATED', 'the owner key must be 16 to 256 characters of A-Z a-z 0-9 _ -');
    }
    const cookieKey = readCookie(source.cookie, cookieName) === header ? undefined : header;
    return { owner: hash('anon', header), ...(cookieKey ? { cookieKey } : {}) };
  }
  // A malformed cookie is treated as no cookie: the browser gets a fresh key instead of failing every request.
  const cookie = readCookie(source.cookie, cookieName);
  if (cookie !== undefined && ANON_KEY.test(cookie)) return { owner: hash('anon', cookie) };
  const issuedKey = randomBytes(24).toString('base64url');
  return { owner: hash('anon', issuedKey), issuedKey, cookieKey: issuedKey };
}

/** The Set-Cookie value that hands an issued key to a browser (`Secure` with COOKIE_SECURE). */
export function ownerCookie(name: string, key: string, secure = false): string {
  return `${name}=${key}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}
