// The anonymous per-browser key that owns this browser's conversations: made once, kept in localStorage,
// sent as a header on every GraphQL request and mirrored into a cookie so <img src="/images/…"> is authorised too.

/** localStorage entry holding the key. */
export const OWNER_KEY_STORAGE = 'blip.ownerKey';
/** The API's default owner cookie (`OWNER_COOKIE` setting of apps/api). */
export const OWNER_COOKIE = 'blip_owner';
/** The header the API reads the key from. */
export const OWNER_HEADER = 'x-owner-key';

/** 256 random bits, base64url: unguessable, so nobody else can list this browser's conversations. */
export function newOwnerKey(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/** This browser's key, created on first use; the cookie is refreshed every time so it never expires while used. */
export function ownerKey(storage: Storage = localStorage): string {
  let key = storage.getItem(OWNER_KEY_STORAGE);
  if (!key || !/^[\w-]{20,}$/.test(key)) {
    key = newOwnerKey();
    storage.setItem(OWNER_KEY_STORAGE, key);
  }
  if (typeof document !== 'undefined') {
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser yet
    document.cookie = `${OWNER_COOKIE}=${key}; path=/; max-age=31536000; samesite=strict`;
  }
  return key;
}
