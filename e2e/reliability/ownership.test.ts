// Other people's data: nothing of one owner's is reachable with another key, ids are 128-bit random and
// neighbours of a real id find nothing, no id or file name reaches outside the image store, and uploads need CSRF.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { type Api, startApi } from './api.js';
import { ALICE, BOB, type Gql, gql, outcome, pngOf, sse, upload } from './client.js';
import { recordCase, recordFigure } from './results.js';

/** Neighbouring ids tried per real id. */
const GUESSES_PER_ID = 64;
let api: Api;
let imageId: string;
let conversationId: string;
let turnId: string;

before(async () => {
  api = await startApi();
  imageId = (await upload(api.graphql, await pngOf(20, 20))).data?.uploadImage.id as string;
  const cap = await gql<{ caption: { conversation: { id: string }; turn: { id: string } } }>(
    api.graphql,
    'mutation ($i: ID!) { caption(imageId: $i, options: { maxNewTokens: 3 }) { conversation { id } turn { id } } }',
    { i: imageId },
  );
  conversationId = cap.data?.caption.conversation.id as string;
  turnId = cap.data?.caption.turn.id as string;
});
after(() => api.stop());

/** GET with the path sent byte for byte (fetch would resolve the dots first). */
function rawGet(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('latin1')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test("another owner reaches none of Alice's conversation, image, turn or stream", async () => {
  const v = { i: imageId, c: conversationId, t: turnId };
  const attempts: [string, string][] = [
    ['conversation(id)', 'query ($c: ID!) { conversation(id: $c) { id } }'],
    ['image(id)', 'query ($i: ID!) { image(id: $i) { id } }'],
    ['answer about her image', 'mutation ($i: ID!) { answer(imageId: $i, question: "what?") { text } }'],
    [
      'caption into her conversation',
      'mutation ($i: ID!, $c: ID) { caption(imageId: $i, conversationId: $c) { text } }',
    ],
    ['createConversation on her image', 'mutation ($i: ID!) { createConversation(imageId: $i) { id } }'],
    ['cancelTurn of her turn', 'mutation ($t: ID!) { cancelTurn(id: $t) { id } }'],
    [
      'updateConversationSettings',
      'mutation ($c: ID!) { updateConversationSettings(id: $c, settings: {}) { id } }',
    ],
    ['deleteConversation', 'mutation ($c: ID!) { deleteConversation(id: $c) }'],
  ];
  const failed: string[] = [];
  for (const [name, query] of attempts) {
    const r = await gql(api.graphql, query, v, BOB);
    if (!recordCase('ownership', `Bob: ${name}`, 'NOT_FOUND', outcome(r))) failed.push(name);
  }
  const stream = sse(
    api.graphql,
    'subscription ($i: ID!, $c: ID) { answerStream(imageId: $i, conversationId: $c, question: "x?") { __typename } }',
    v,
    BOB,
  );
  const first = (await stream.next()).value;
  if (
    !recordCase(
      'ownership',
      'Bob: answerStream into her conversation',
      'NOT_FOUND',
      first ? outcome(first) : 'no event',
    )
  )
    failed.push('stream');
  const ws = createClient({
    url: `${api.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { ownerKey: BOB },
    retryAttempts: 0,
  });
  try {
    const query =
      'subscription ($i: ID!, $c: ID) { answerStream(imageId: $i, conversationId: $c, question: "x?") { __typename } }';
    // graphql-ws throws a subscription's errors (an array of GraphQL errors) from the iterator.
    const observed = await ws
      .iterate({ query, variables: v })
      .next()
      .then(
        (r) => (r.value ? outcome(r.value as Gql) : 'no event'),
        (err: unknown) => (Array.isArray(err) ? (err[0]?.extensions?.code ?? 'uncoded') : String(err)),
      );
    if (
      !recordCase(
        'ownership',
        'Bob: answerStream over WebSocket into her conversation',
        'NOT_FOUND',
        observed,
      )
    )
      failed.push('ws');
  } finally {
    await ws.dispose();
  }
  const list = await gql<{ conversations: { totalCount: number } }>(
    api.graphql,
    '{ conversations { totalCount } }',
    {},
    BOB,
  );
  if (
    !recordCase(
      'ownership',
      "Bob's conversation list",
      '0 conversations',
      `${list.data?.conversations.totalCount} conversations`,
    )
  )
    failed.push('list');
  for (const [who, headers] of [
    ['Bob', { 'x-owner-key': BOB }],
    ['no key', {}],
  ] as const) {
    const r = await rawGet(`/images/${imageId}`, headers);
    if (!recordCase('ownership', `${who}: GET /images/<her id>`, 'HTTP 404', `HTTP ${r.status}`))
      failed.push(who);
  }
  const mine = await rawGet(`/images/${imageId}`, { 'x-owner-key': ALICE });
  assert.ok(recordCase('ownership', 'Alice: GET /images/<her id>', 'HTTP 200', `HTTP ${mine.status}`));
  const still = await gql(api.graphql, 'query ($c: ID!) { conversation(id: $c) { turnCount } }', v);
  assert.ok(recordCase('ownership', "Alice's conversation after Bob's attempts", 'OK', outcome(still)));
  assert.deepEqual(failed, []);
});

/** Ids next to `id`: each of the last characters stepped up and down, and single bits flipped. */
function neighbours(id: string, n: number): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const out = new Set<string>();
  for (let pos = id.length - 1; out.size < n && pos >= 0; pos--) {
    const at = alphabet.indexOf(id[pos] as string);
    for (const step of [1, -1, 2, -2]) {
      const c = alphabet[(at + step + 64) % 64] as string;
      out.add(id.slice(0, pos) + c + id.slice(pos + 1));
    }
  }
  return [...out].slice(0, n);
}

test('ids are 128-bit random: 22 base64url characters, unrelated to each other, and neighbours find nothing', async () => {
  const ids: string[] = [];
  for (let k = 0; k < 12; k++) {
    const r = await gql<{ createConversation: { id: string } }>(
      api.graphql,
      'mutation ($i: ID!) { createConversation(imageId: $i) { id } }',
      { i: imageId },
    );
    ids.push(r.data?.createConversation.id as string);
  }
  const shape = ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id));
  assert.ok(
    recordCase(
      'ids',
      '12 new conversation ids',
      '22 base64url chars each',
      shape ? '22 base64url chars each' : ids.join(','),
    ),
  );
  const prefix = Math.max(...ids.slice(1).map((id, k) => commonPrefix(id, ids[k] as string)));
  assert.ok(
    recordCase(
      'ids',
      'longest prefix shared by consecutive ids',
      '≤ 4 chars',
      `${prefix} chars`,
      prefix <= 4,
    ),
  );
  let found = 0;
  let tried = 0;
  for (const [kind, id, query] of [
    ['conversation', conversationId, 'query ($x: ID!) { conversation(id: $x) { id } }'],
    ['image', imageId, 'query ($x: ID!) { image(id: $x) { id } }'],
    ['turn', turnId, 'mutation ($x: ID!) { cancelTurn(id: $x) { id } }'],
  ] as const) {
    for (const guess of neighbours(id, GUESSES_PER_ID)) {
      tried++;
      const r = await gql(api.graphql, query, { x: guess });
      if (outcome(r) !== 'NOT_FOUND') found++;
      if (kind === 'image' && (await rawGet(`/images/${guess}`)).status !== 404) found++;
    }
  }
  recordFigure('ids', 'neighbouring ids guessed (as the owner)', tried);
  assert.ok(
    recordCase(
      'ids',
      `${tried} guesses next to real conversation, image and turn ids`,
      '0 found',
      `${found} found`,
    ),
  );
});

const commonPrefix = (a: string, b: string) => {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
};

test('no path traversal through /images/, GraphQL ids or upload file names', async () => {
  const paths = [
    '/images/../../etc/passwd',
    '/images/..%2f..%2fetc%2fpasswd',
    '/images/%2e%2e/%2e%2e/etc/passwd',
    '/images/%252e%252e%252fetc%252fpasswd',
    `/images/${imageId}/../../../../etc/passwd`,
    `/images/${imageId}%00.png`,
    '/images/..\\..\\etc\\passwd',
    '/images//etc/passwd',
    `/images/${'..%c0%af'.repeat(6)}etc/passwd`,
    '/images/db.sqlite',
    '/images/../db.sqlite',
  ];
  const failed: string[] = [];
  for (const path of paths) {
    const r = await rawGet(path, { 'x-owner-key': ALICE });
    const leaked = r.body.includes('root:') || r.body.includes('SQLite format');
    const observed = leaked
      ? `LEAKED (HTTP ${r.status})`
      : r.status === 404 || r.status === 400
        ? 'refused'
        : `HTTP ${r.status}`;
    if (!recordCase('path traversal', `GET ${path}`, 'refused', observed)) failed.push(path);
  }
  for (const id of [
    '../../etc/passwd',
    `${imageId}/../x`,
    '..%2F..%2Fetc%2Fpasswd',
    'a/b/c',
    '/etc/passwd',
    '.',
  ]) {
    const r = await gql(api.graphql, 'query ($x: ID!) { image(id: $x) { id } }', { x: id });
    if (!recordCase('path traversal', `image(id: ${JSON.stringify(id)})`, 'NOT_FOUND', outcome(r)))
      failed.push(id);
  }
  const evil = await upload(
    api.graphql,
    await pngOf(9, 9, [1, 2, 3]),
    '../../../../tmp/reliability-evil.png',
  );
  const stored = readdirSync(api.dataDir, { recursive: true }).map(String);
  const escaped =
    stored.some((f) => f.includes('evil')) || readdirSync('/tmp').includes('reliability-evil.png');
  if (
    !recordCase(
      'path traversal',
      'upload named ../../../../tmp/reliability-evil.png',
      'stored by content hash only',
      escaped ? 'name used as a path' : `${outcome(evil)}, stored by content hash only`,
      !escaped && outcome(evil) === 'OK',
    )
  )
    failed.push('upload name');
  assert.deepEqual(failed, []);
});

test('CSRF: uploads and form posts need the x-graphql-yoga-csrf header; GET queries only when a browser sends them cross-site', async () => {
  const png = await pngOf(11, 11, [5, 6, 7]);
  const without = await upload(api.graphql, png, 'a.png', ALICE, false);
  const failed: string[] = [];
  if (!recordCase('CSRF', 'multipart upload without the header', 'CSRF_HEADER_MISSING', outcome(without)))
    failed.push('upload');
  // A GET carries no mutation (405) and queries have no side effects: stock clients (urql) send queries by GET.
  const query = `/graphql?query=${encodeURIComponent('{ conversations { totalCount } }')}`;
  const get = await rawGet(query, { 'x-owner-key': ALICE });
  const getCode = /"code":"([A-Z_]+)"/.exec(get.body)?.[1] ?? `HTTP ${get.status}`;
  if (!recordCase('CSRF', 'GET query without the header', 'HTTP 200', getCode)) failed.push('get');
  const crossSite = await rawGet(query, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' });
  const crossCode = /"code":"([A-Z_]+)"/.exec(crossSite.body)?.[1] ?? `HTTP ${crossSite.status}`;
  if (!recordCase('CSRF', 'cross-site browser GET without the header', 'CSRF_HEADER_MISSING', crossCode))
    failed.push('cross-site get');
  const form = await fetch(api.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-owner-key': ALICE },
    body: 'query=mutation%7BdeleteConversation(id%3A%22x%22)%7D',
  });
  const formObserved = form.status >= 400 && form.status < 500 ? 'refused' : `HTTP ${form.status}`;
  if (!recordCase('CSRF', 'urlencoded form POST (what a foreign page can send)', 'refused', formObserved))
    failed.push('form');
  const withHeader = await upload(api.graphql, png, 'a.png');
  assert.ok(recordCase('CSRF', 'the same upload with the header', 'OK', outcome(withHeader)));
  assert.deepEqual(failed, []);
});
