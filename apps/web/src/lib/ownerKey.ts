// The anonymous per-browser key that owns this browser's conversations: made once, kept in localStorage and
// sent as a header on every GraphQL request. The API answers with its owner cookie holding the same key (its
// name is the API's OWNER_COOKIE setting), so <img src="/images/…"> is authorised too.

/** localStorage entry holding the key. */
export const OWNER_KEY_STORAGE = 'blip.ownerKey';
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

/** This browser's key, created on first use. */
export function ownerKey(storage: Storage = localStorage): string {
  let key = storage.getItem(OWNER_KEY_STORAGE);
  if (!key || !/^[\w-]{20,}$/.test(key)) {
    key = newOwnerKey();
    storage.setItem(OWNER_KEY_STORAGE, key);
  }
  return key;
}
