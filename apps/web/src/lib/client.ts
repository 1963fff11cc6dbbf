// The urql client: one origin (/graphql is proxied to the API by this app), subscriptions as server-sent events over
// fetch, so unsubscribing aborts the request and the API cancels the generation.
import { Client, fetchExchange } from '@urql/core';
import { OWNER_HEADER, ownerKey } from './ownerKey.js';

/** Header that satisfies graphql-yoga's CSRF prevention (required for uploads, harmless elsewhere). */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** The headers every request carries: the owner key and the CSRF header. */
export function requestHeaders(): Record<string, string> {
  return { [OWNER_HEADER]: ownerKey(), [CSRF_HEADER]: '1' };
}

/** Makes the browser's GraphQL client; every request carries the owner key and the CSRF header. */
export function makeClient(url = '/graphql'): Client {
  const key = ownerKey();
  return new Client({
    url,
    // No document cache: the chat keeps its own state and every read must see the server's latest.
    exchanges: [fetchExchange],
    fetchSubscriptions: true,
    requestPolicy: 'network-only',
    fetchOptions: () => ({ headers: { [OWNER_HEADER]: key, [CSRF_HEADER]: '1' } }),
  });
}
