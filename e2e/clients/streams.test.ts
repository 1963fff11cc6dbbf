// Subscriptions from stock clients, each used as its docs say: graphql-sse in distinct-connections and in
// single-connection mode, graphql-ws, Apollo Client over graphql-ws and over HTTP multipart, a WHATWG EventSource
// with the browser's cookie, and curl. Each must see StreamStarted, the tokens, StreamCompleted, then the end.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { ApolloClient, gql as apolloGql, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { EventSource } from 'eventsource';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  assertStreamShape,
  named,
  OWNER,
  OWNER_HEADERS,
  type Served,
  STREAM,
  serve,
  stockCase,
} from './fixture.js';

type Event = { data?: { answerStream?: { __typename: string } } | null; errors?: unknown };
let s: Served;
before(async () => {
  s = await serve();
});
after(() => s.api.stop());

/** The __typenames of a stream's payloads; throws on a payload with errors. */
function typenames(events: Event[]): string[] {
  return events.map((e) => {
    if (e.errors || !e.data?.answerStream) throw new Error(`error event: ${JSON.stringify(e)}`);
    return e.data.answerStream.__typename;
  });
}

async function collect(iterable: AsyncIterable<unknown>): Promise<Event[]> {
  const events: Event[] = [];
  for await (const e of iterable) events.push(e as Event);
  return events;
}

for (const singleConnection of [false, true]) {
  const finding = singleConnection ? '16.8a' : undefined;
  test(
    named(`graphql-sse, ${singleConnection ? 'single connection' : 'distinct connections'} mode`, finding),
    stockCase(finding, async () => {
      // retryAttempts 0: a refusal shows at once instead of after ~1 min of backoff meant for flaky networks.
      const client = createSseClient({
        url: s.api.graphql,
        // A copy: in single-connection mode graphql-sse adds its stream token to the headers object it is given.
        headers: { ...OWNER_HEADERS },
        singleConnection,
        retryAttempts: 0,
      });
      try {
        assertStreamShape(
          typenames(await collect(client.iterate({ query: STREAM, variables: { i: s.imageId } }))),
        );
      } finally {
        client.dispose();
      }
    }),
  );
}

const wsClient = () =>
  createWsClient({
    url: s.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { ownerKey: OWNER },
    retryAttempts: 0,
  });

test(
  'graphql-ws',
  stockCase(undefined, async () => {
    const client = wsClient();
    try {
      assertStreamShape(
        typenames(await collect(client.iterate({ query: STREAM, variables: { i: s.imageId } }))),
      );
    } finally {
      await client.dispose();
    }
  }),
);

/** Subscribes through Apollo Client and resolves with every payload once the observable completes. */
function apolloStream(client: ApolloClient): Promise<Event[]> {
  const events: Event[] = [];
  return new Promise((done, fail) => {
    client.subscribe({ query: apolloGql(STREAM), variables: { i: s.imageId } }).subscribe({
      // Apollo 4 hands a failed request over as `error` (CombinedGraphQLErrors keeps the GraphQL errors).
      next: (r) => {
        const error = (r as { error?: { errors?: unknown[] } }).error;
        events.push((error ? { errors: error.errors ?? [String(error)] } : r) as Event);
      },
      error: fail,
      complete: () => done(events),
    });
  });
}

test(
  'Apollo Client over graphql-ws (GraphQLWsLink)',
  stockCase(undefined, async () => {
    const ws = wsClient();
    const client = new ApolloClient({ link: new GraphQLWsLink(ws), cache: new InMemoryCache() });
    try {
      assertStreamShape(typenames(await apolloStream(client)));
    } finally {
      await ws.dispose();
    }
  }),
);

test(
  named(
    'Apollo Client over HTTP (HttpLink: multipart subscription, or a typed error saying why not)',
    '16.8b',
  ),
  stockCase('16.8b', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: s.api.graphql, headers: OWNER_HEADERS }),
      cache: new InMemoryCache(),
    });
    try {
      assertStreamShape(typenames(await apolloStream(client)));
    } catch (error) {
      // yoga streams subscriptions over SSE and WebSocket only; then the client must get a GraphQL error with a code.
      const text = error instanceof Error ? error.message : JSON.stringify(error);
      assert.match(text, /"code":"[A-Z_]+"/, `no typed error reached the client: ${text.slice(0, 300)}`);
    }
  }),
);

test(
  named("EventSource (WHATWG, GET with the query in the URL, the browser's cookie)", '16.8c'),
  stockCase('16.8c', async () => {
    const url = new URL(s.api.graphql);
    url.searchParams.set('query', STREAM);
    url.searchParams.set('variables', JSON.stringify({ i: s.imageId }));
    const cookie = `blip_owner=${OWNER}`;
    const source = new EventSource(url, {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, cookie } }),
    });
    const names = await new Promise<string[]>((done, fail) => {
      const seen: string[] = [];
      source.addEventListener('next', (e) => seen.push(JSON.parse(e.data).data?.answerStream?.__typename));
      source.addEventListener('complete', () => done(seen));
      source.addEventListener('error', (e) => fail(new Error(`EventSource error: ${e.message ?? e.code}`)));
    }).finally(() => source.close());
    assertStreamShape(names);
  }),
);

test(
  'curl -N with Accept: text/event-stream, as the README shows',
  stockCase(undefined, async () => {
    const { stdout } = await promisify(execFile)('curl', [
      '-sN',
      s.api.graphql,
      '-H',
      `x-owner-key: ${OWNER}`,
      '-H',
      'content-type: application/json',
      '-H',
      'accept: text/event-stream',
      '-d',
      JSON.stringify({ query: STREAM, variables: { i: s.imageId } }),
    ]);
    const events = stdout.split(/\r?\n\r?\n/).filter((f) => /^event: next$/m.test(f));
    const names = events.map(
      (f) => JSON.parse(/^data: (.*)$/m.exec(f)?.[1] ?? '{}').data.answerStream.__typename,
    );
    assertStreamShape(names);
    assert.match(stdout, /^event: complete$/m);
  }),
);
