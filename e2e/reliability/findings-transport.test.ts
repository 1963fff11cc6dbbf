// Audit findings of issue 16 about transports and the error contract, one case each (e2e/known-open.ts lists
// those not fixed yet): graphql-ws survives a bad document, graphql-sse single connection, Apollo multipart,
// EventSource, JSON-accept subscriptions, codes in the enum, subscription error paths, TurnError.code.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Api } from './api.js';
import { ALICE, outcome, pngOf, postJson, sse, upload } from './client.js';
import {
  enumValues,
  fieldType,
  FINDINGS_MAX_UPLOAD_BYTES as MAX_UPLOAD_BYTES,
  startFindingsApi,
} from './findings.js';
import { recordFigure, recordFinding } from './results.js';

const stream = (q: string, tokens = 2) =>
  `subscription ($i: ID!) { answerStream(imageId: $i, question: "${q}", options: { minNewTokens: ${tokens}, maxNewTokens: ${tokens} }) { __typename } }`;
let api: Api;
let imageId: string;
let tried = 0;

before(async () => {
  ({ api, imageId } = await startFindingsApi());
});
after(() => {
  recordFigure('audit findings (issue 16)', 'transport and error-contract requests tried', tried);
  return api.stop();
});

test('#16.4: a syntax error on a shared graphql-ws socket fails that operation only', async () => {
  const client = createClient({
    url: api.graphql.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { ownerKey: ALICE },
    retryAttempts: 0,
  });
  let closeCode: number | undefined;
  client.on('closed', (e) => {
    closeCode = (e as { code?: number }).code;
  });
  const good = client.iterate({ query: stream('long?', 120), variables: { i: imageId } });
  const first = await good.next(); // StreamStarted: the long stream is running on the socket
  tried += 2;
  const bad = await client
    .iterate({ query: 'subscription { answerStream(' })
    .next()
    .then(
      (r) => (r.value?.errors ? 'error result' : 'data'),
      // graphql-ws reports an operation that fails before it runs with an Error message: iterate() throws its errors.
      (e: unknown) =>
        Array.isArray(e) && (e[0] as { extensions?: { code?: string } })?.extensions?.code
          ? 'error result'
          : `threw ${String((e as { code?: number }).code ?? e)}`,
    );
  let goodEnd = 'completed';
  try {
    for await (const ev of good) if (ev.errors) goodEnd = 'errors';
  } catch (e) {
    goodEnd = `closed ${(e as { code?: number }).code ?? String(e)}`;
  }
  await client.dispose();
  assert.ok(first.value, 'the long stream started');
  assert.ok(
    recordFinding(
      '16.4',
      'syntax error on a socket with a running stream',
      'bad: error result; running stream: completed; socket open',
      `bad: ${bad}; running stream: ${goodEnd}; socket close code ${closeCode ?? 'none before dispose'}`,
      bad === 'error result' && goodEnd === 'completed',
    ),
  );
});

test("#16.8a: graphql-sse single-connection mode's reservation (PUT) is accepted", async () => {
  tried++;
  const res = await fetch(api.graphql, { method: 'PUT', headers: { 'x-owner-key': ALICE } });
  assert.ok(
    recordFinding(
      '16.8a',
      'PUT /graphql (reserve a stream token)',
      'HTTP 201 and a token',
      `HTTP ${res.status}`,
      res.status === 201 && (await res.text()).length > 0,
    ),
  );
});

/** A subscription POSTed with `accept`, reduced to "status content-type, body: …". */
async function subscribeAccepting(accept: string): Promise<{ status: number; type: string; body: string }> {
  tried++;
  const res = await fetch(api.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, 'x-owner-key': ALICE },
    body: JSON.stringify({ query: stream('accept?'), variables: { i: imageId } }),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '-',
    body: (await res.text()).slice(0, 400),
  };
}

test('#16.8b: an Apollo multipart subscription streams, or gets a typed error body', async () => {
  const r = await subscribeAccepting(
    'multipart/mixed;boundary="graphql";subscriptionSpec="1.0",application/json',
  );
  const ok = (r.status === 200 && r.body.includes('StreamCompleted')) || /"code":"[A-Z_]+"/.test(r.body);
  assert.ok(
    recordFinding(
      '16.8b',
      "subscription with Apollo's multipart Accept",
      'a stream, or a body with a typed error',
      `HTTP ${r.status} ${r.type}, body ${r.body.length ? r.body.slice(0, 120) : 'empty'}`,
      ok,
    ),
  );
});

test('#16.8d: a subscription accepting only JSON gets a typed error body', async () => {
  const r = await subscribeAccepting('application/json');
  assert.ok(
    recordFinding(
      '16.8d',
      'subscription with Accept: application/json',
      'a body with a typed error',
      `HTTP ${r.status}, body ${r.body.length ? r.body.slice(0, 120) : 'empty'}`,
      /"code":"[A-Z_]+"/.test(r.body),
    ),
  );
});

test('#16.8c: a browser EventSource (GET, cookie only) gets the stream', async () => {
  const url = new URL(api.graphql);
  url.searchParams.set('query', stream('eventsource?'));
  url.searchParams.set('variables', JSON.stringify({ i: imageId }));
  tried++;
  const res = await fetch(url, { headers: { accept: 'text/event-stream', cookie: `blip_owner=${ALICE}` } });
  const body = await res.text();
  assert.ok(
    recordFinding(
      '16.8c',
      'GET ?query=subscription… with Accept: text/event-stream and the cookie',
      'HTTP 200, the stream to its complete event',
      `HTTP ${res.status}${/event: complete/.test(body) ? ', complete' : ''}`,
      res.status === 200 && /event: complete/.test(body),
    ),
  );
});

test('#16.9a: every code the server sends is in the ErrorCode enum', async () => {
  const enumCodes = await enumValues(api.graphql, 'ErrorCode');
  const attempts = {
    'parse error': () => postJson(api.graphql, { query: '{ limits {' }),
    'unknown field': () => postJson(api.graphql, { query: '{ nope }' }),
    'unknown operationName': () =>
      postJson(api.graphql, { query: 'query A { limits { maxQuestionChars } }', operationName: 'B' }),
    'body over the limit': () =>
      postJson(api.graphql, {
        query: '{ limits { maxQuestionChars } }',
        pad: 'x'.repeat(2 * MAX_UPLOAD_BYTES),
      }),
    'multipart without the CSRF header': async () =>
      upload(api.graphql, await pngOf(8, 8), 'x.png', ALICE, false),
    'bad variable type': () =>
      postJson(api.graphql, { query: 'query ($i: ID!) { image(id: $i) { id } }', variables: { i: {} } }),
    'unknown image': () => postJson(api.graphql, { query: '{ image(id: "nope") { id } }' }),
  };
  const outside: string[] = [];
  for (const [name, attempt] of Object.entries(attempts)) {
    tried++;
    const code = outcome(await attempt());
    if (!enumCodes.includes(code)) outside.push(`${name}: ${code}`);
  }
  assert.ok(
    recordFinding(
      '16.9a',
      `codes of ${Object.keys(attempts).length} refused requests`,
      'all in enum ErrorCode',
      outside.join('; ') || 'all in enum ErrorCode',
      outside.length === 0,
    ),
  );
});

test('#16.9c: a subscription error carries its path', async () => {
  tried++;
  let path = 'no error';
  for await (const ev of sse(api.graphql, stream('missing?'), { i: 'no-such-image' }))
    path = JSON.stringify(ev.errors?.[0]?.path ?? null);
  assert.ok(
    recordFinding(
      '16.9c',
      'answerStream on an unknown image',
      'errors[0].path = ["answerStream"]',
      `path ${path}`,
      path === '["answerStream"]',
    ),
  );
});

test('#16.9d: TurnError.code is the ErrorCode enum', async () => {
  const type = await fieldType(api.graphql, 'TurnError', 'code');
  assert.ok(
    recordFinding('16.9d', 'type of TurnError.code', 'ErrorCode', String(type), type === 'ErrorCode'),
  );
});
