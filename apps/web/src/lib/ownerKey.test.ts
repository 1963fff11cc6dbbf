import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newOwnerKey } from './ownerKey.js';

test('owner keys are 256-bit base64url strings the API accepts (16..256 of A-Z a-z 0-9 _ -)', () => {
  const keys = new Set(Array.from({ length: 200 }, () => newOwnerKey()));
  assert.equal(keys.size, 200);
  for (const key of keys) assert.match(key, /^[A-Za-z0-9_-]{43}$/);
});
