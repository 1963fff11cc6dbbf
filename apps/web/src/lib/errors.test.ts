import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { formatBytes, friendly, fromCombinedError } from './errors.js';

test('known codes get a friendly sentence, unknown ones keep the server message', () => {
  assert.match(friendly('OVERLOADED').message, /busy/);
  assert.equal(friendly('SOMETHING_NEW', 'exact words').message, 'exact words');
});

test('a GraphQL error is read by its extensions.code', () => {
  const err = new CombinedError({
    graphQLErrors: [new GraphQLError('queue full', { extensions: { code: 'OVERLOADED' } })],
  });
  assert.equal(fromCombinedError(err).code, 'OVERLOADED');
});

test('option errors keep the server sentence, which names the field', () => {
  const err = new CombinedError({
    graphQLErrors: [
      new GraphQLError('numBeams must be 2..16, got 40', { extensions: { code: 'INVALID_OPTIONS' } }),
    ],
  });
  assert.equal(fromCombinedError(err).message, 'numBeams must be 2..16, got 40');
});

test('a network failure or a 502 from the proxy reads as server unreachable', () => {
  const net = new CombinedError({ networkError: new TypeError('Failed to fetch') });
  assert.equal(fromCombinedError(net).code, 'NETWORK');
  const proxied = new CombinedError({
    graphQLErrors: [new GraphQLError('cannot be reached', { extensions: { code: 'API_UNREACHABLE' } })],
  });
  assert.match(fromCombinedError(proxied).message, /Cannot reach the answer server/);
});

test('byte counts read naturally', () => {
  assert.equal(formatBytes(20 * 1024 * 1024), '20 MB');
  assert.equal(formatBytes(2048), '2 KB');
  assert.equal(formatBytes(12), '12 bytes');
});
