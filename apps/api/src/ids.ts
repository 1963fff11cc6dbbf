import { randomBytes } from 'node:crypto';

/** A fresh unguessable id: 128 random bits, base64url (22 characters). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** True when `id` has the shape newId() makes; anything else cannot name a stored object. */
export function isId(id: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(id);
}

/** Now as an ISO-8601 UTC string with milliseconds (sorts as text). */
export function nowIso(): string {
  return new Date().toISOString();
}
