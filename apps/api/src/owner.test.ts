import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from './errors.js';
import { identifyCaller, ownerCookie, readCookie } from './owner.js';

test('bearer tokens and anonymous keys map to distinct hashed owners; the secret is never the id', () => {
  const bearer = identifyCaller({ authorization: 'Bearer abc' }, 'c');
  const anon = identifyCaller({ ownerKey: 'abcdefghijklmnop' }, 'c');
  assert.match(bearer.owner, /^bearer:[0-9a-f]{64}$/);
  assert.match(anon.owner, /^anon:[0-9a-f]{64}$/);
  assert.ok(!bearer.owner.includes('abc'));
  assert.equal(identifyCaller({ cookie: 'x=1; c=abcdefghijklmnop' }, 'c').owner, anon.owner);
  assert.equal(bearer.issuedKey, undefined);
});

test('no key: a fresh one is issued; a malformed one is UNAUTHENTICATED', () => {
  const a = identifyCaller({}, 'c');
  const b = identifyCaller({}, 'c');
  assert.ok(a.issuedKey && b.issuedKey && a.issuedKey !== b.issuedKey);
  assert.equal(identifyCaller({ ownerKey: a.issuedKey }, 'c').owner, a.owner);
  for (const bad of [
    { ownerKey: 'short' },
    { authorization: 'Basic dXNlcg==' },
    { ownerKey: 'has spaces in it, sixteen+' },
  ]) {
    assert.throws(
      () => identifyCaller(bad, 'c'),
      (err) => err instanceof ApiError && err.code === 'UNAUTHENTICATED',
    );
  }
});

test('a header key the cookie lacks is set as the cookie; one the cookie holds is not set again', () => {
  const key = 'abcdefghijklmnop';
  assert.equal(identifyCaller({ ownerKey: key }, 'c').cookieKey, key);
  assert.equal(identifyCaller({ ownerKey: key, cookie: 'c=another-key-0123456' }, 'c').cookieKey, key);
  assert.equal(identifyCaller({ ownerKey: key, cookie: `x=1; c=${key}` }, 'c').cookieKey, undefined);
  assert.equal(identifyCaller({ authorization: 'Bearer t' }, 'c').cookieKey, undefined);
  const fresh = identifyCaller({}, 'c');
  assert.equal(fresh.cookieKey, fresh.issuedKey);
});

test('cookies are read by name and issued HttpOnly, SameSite=Lax', () => {
  assert.equal(readCookie('a=1; b=two%20words', 'b'), 'two words');
  assert.equal(readCookie(undefined, 'b'), undefined);
  assert.match(ownerCookie('k', 'v'), /^k=v; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
});
