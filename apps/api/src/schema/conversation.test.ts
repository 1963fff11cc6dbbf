// Conversations: cursor pagination, settings, delete, and ownership — another owner key cannot read, stream
// into, cancel or delete a conversation, and sees the same NOT_FOUND as for one that does not exist.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixture, OTHER, OWNER, startStandInServer, type TestServer } from '../testing/harness.js';

let server: TestServer;
let imageId: string;
before(async () => {
  server = await startStandInServer();
  imageId = (await server.upload(fixture('shapes-640x480.png'))).data?.uploadImage.id as string;
});
after(() => server.close());

const codeOf = (r: { errors?: { extensions?: { code?: string; field?: string } }[] }) => [
  r.errors?.[0]?.extensions?.code,
  r.errors?.[0]?.extensions?.field,
];

async function newConversation(ownerKey = OWNER, image = imageId): Promise<string> {
  const r = await server.gql<{ createConversation: { id: string } }>(
    'mutation ($i: ID!) { createConversation(imageId: $i) { id } }',
    { i: image },
    { ownerKey },
  );
  assert.ok(r.data, JSON.stringify(r.errors));
  return r.data.createConversation.id;
}

interface Page {
  conversations: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: { id: string }[];
  };
}

test('cursor pagination walks every conversation once, most recently active first', async () => {
  const owner = 'pagination-owner-key-000001';
  const ownImage = (await server.upload(fixture('pixel-1x1.png'), 'p.png', { ownerKey: owner })).data
    ?.uploadImage.id;
  const made: string[] = [];
  for (let i = 0; i < 5; i++) made.push(await newConversation(owner, ownImage));
  // Asking in the oldest conversation moves it to the top.
  await server.gql(
    'mutation ($i: ID!, $c: ID) { caption(imageId: $i, conversationId: $c, options: { maxNewTokens: 2 }) { text } }',
    { i: ownImage, c: made[0] },
    { ownerKey: owner },
  );
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 5; page++) {
    const r: { data?: Page | null } = await server.gql<Page>(
      'query ($after: String) { conversations(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }',
      { after },
      { ownerKey: owner },
    );
    const c = r.data?.conversations;
    assert.ok(c);
    assert.equal(c.totalCount, 5);
    seen.push(...c.nodes.map((n) => n.id));
    after = c.pageInfo.endCursor;
    if (!c.pageInfo.hasNextPage) break;
  }
  assert.deepEqual(seen, [made[0], made[4], made[3], made[2], made[1]]);
});

test('settings are stored per conversation and replaced by updateConversationSettings', async () => {
  const id = await newConversation();
  const r = await server.gql<{ updateConversationSettings: { settings: Record<string, unknown> } }>(
    'mutation ($id: ID!) { updateConversationSettings(id: $id, settings: { strategy: BEAM, numBeams: 4, maxNewTokens: 5 }) { settings { strategy numBeams maxNewTokens topP } } }',
    { id },
  );
  assert.deepEqual(r.data?.updateConversationSettings.settings, {
    strategy: 'BEAM',
    numBeams: 4,
    maxNewTokens: 5,
    topP: null,
  });
  const bad = await server.gql(
    'mutation ($id: ID!) { updateConversationSettings(id: $id, settings: { topP: -1 }) { id } }',
    { id },
  );
  assert.deepEqual(codeOf(bad), ['INVALID_OPTIONS', 'topP']);
});

test('another owner can neither read, stream into, cancel, nor delete a conversation', async () => {
  const caption = await server.gql<{ caption: { conversation: { id: string }; turn: { id: string } } }>(
    'mutation ($i: ID!) { caption(imageId: $i, options: { maxNewTokens: 3 }) { conversation { id } turn { id } } }',
    { i: imageId },
  );
  const id = caption.data?.caption.conversation.id as string;
  const turnId = caption.data?.caption.turn.id as string;
  const other = { ownerKey: OTHER };
  const missing = 'AAAAAAAAAAAAAAAAAAAAAA';

  for (const target of [id, missing]) {
    const read = await server.gql('query ($id: ID!) { conversation(id: $id) { id } }', { id: target }, other);
    assert.deepEqual(codeOf(read), ['NOT_FOUND', 'id']);
    assert.equal(read.errors?.[0]?.message, `conversation "${target}" not found`);
  }
  const list = await server.gql<Page>('{ conversations { totalCount nodes { id } } }', {}, other);
  assert.equal(list.data?.conversations.totalCount, 0);

  // Streaming into it: their key does not own the conversation, nor the image.
  const events = [];
  for await (const r of server.sse(
    'subscription ($i: ID!, $c: ID) { answerStream(imageId: $i, conversationId: $c, question: "mine now?") { __typename } }',
    { i: imageId, c: id },
    other,
  )) {
    events.push(r);
  }
  assert.deepEqual(codeOf(events[0] ?? {}), ['NOT_FOUND', 'conversationId']);

  const cancel = await server.gql(
    'mutation ($id: ID!) { cancelTurn(id: $id) { id } }',
    { id: turnId },
    other,
  );
  assert.deepEqual(codeOf(cancel), ['NOT_FOUND', 'id']);
  const del = await server.gql('mutation ($id: ID!) { deleteConversation(id: $id) }', { id }, other);
  assert.deepEqual(codeOf(del), ['NOT_FOUND', 'id']);
  const settings = await server.gql(
    'mutation ($id: ID!) { updateConversationSettings(id: $id, settings: {}) { id } }',
    { id },
    other,
  );
  assert.deepEqual(codeOf(settings), ['NOT_FOUND', 'id']);

  // Still there for its owner, with its one turn.
  const mine = await server.gql<{ conversation: { turns: unknown[] } }>(
    'query ($id: ID!) { conversation(id: $id) { turns { id } } }',
    { id },
  );
  assert.equal(mine.data?.conversation.turns.length, 1);
});

test('a bearer token is an owner of its own; a malformed owner key is UNAUTHENTICATED', async () => {
  const bearer = { headers: { authorization: 'Bearer secret-token-1' } };
  const id = await server.gql<{ createConversation: { id: string } }>(
    'mutation ($i: ID!) { createConversation(imageId: $i) { id } }',
    { i: imageId },
    bearer,
  );
  assert.deepEqual(codeOf(id), ['NOT_FOUND', 'imageId'], 'the image belongs to another owner');
  const up = await server.upload(fixture('pixel-1x1.png'), 'p.png', bearer);
  assert.ok(up.data?.uploadImage.id);
  const again = await server.gql<{ image: { id: string } }>(
    'query ($id: ID!) { image(id: $id) { id } }',
    { id: up.data?.uploadImage.id },
    { headers: { authorization: 'Bearer secret-token-1' } },
  );
  assert.equal(again.data?.image.id, up.data?.uploadImage.id);
  const short = await server.gql('{ conversations { totalCount } }', {}, { ownerKey: 'short' });
  assert.equal(codeOf(short)[0], 'UNAUTHENTICATED');
});

test('without any key the server issues one as an HttpOnly cookie, and the cookie keeps the owner', async () => {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ conversations { totalCount } }' }),
  });
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^blip_owner=[A-Za-z0-9_-]{32}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
  const key = cookie.split(';')[0] as string;
  const upload = await server.upload(fixture('pixel-1x1.png'), 'p.png', {
    ownerKey: key.split('=')[1] as string,
  });
  const viaCookie = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: key },
    body: JSON.stringify({
      query: 'query ($id: ID!) { image(id: $id) { id } }',
      variables: { id: upload.data?.uploadImage.id },
    }),
  });
  assert.equal(viaCookie.headers.get('set-cookie'), null);
  const body = (await viaCookie.json()) as { data: { image: { id: string } } };
  assert.equal(body.data.image.id, upload.data?.uploadImage.id);
});

test('a header key is set as the owner cookie of the configured name, so <img src> is the same owner', async () => {
  const named = await startStandInServer({}, { ownerCookie: 'site_owner' });
  try {
    const up = await named.upload(fixture('pixel-1x1.png'), 'p.png', { ownerKey: OWNER });
    const image = up.data?.uploadImage.id as string;
    const again = await fetch(`${named.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-owner-key': OWNER, cookie: `site_owner=${OWNER}` },
      body: JSON.stringify({ query: '{ conversations { totalCount } }' }),
    });
    assert.equal(
      again.headers.get('set-cookie'),
      null,
      'a cookie that already holds the key is not set again',
    );
    const first = await fetch(`${named.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-owner-key': OWNER },
      body: JSON.stringify({ query: '{ conversations { totalCount } }' }),
    });
    const set = first.headers.get('set-cookie') ?? '';
    assert.match(set, new RegExp(`^site_owner=${OWNER}; Path=/;.*HttpOnly`));
    const img = await fetch(`${named.url}/images/${image}`, {
      headers: { cookie: set.split(';')[0] as string },
    });
    assert.equal(img.status, 200);
  } finally {
    await named.close();
  }
});

test('deleteConversation removes it and its turns; ids are 128-bit random', async () => {
  const id = await newConversation();
  assert.match(id, /^[A-Za-z0-9_-]{22}$/);
  const del = await server.gql<{ deleteConversation: string }>(
    'mutation ($id: ID!) { deleteConversation(id: $id) }',
    {
      id,
    },
  );
  assert.equal(del.data?.deleteConversation, id);
  const read = await server.gql('query ($id: ID!) { conversation(id: $id) { id } }', { id });
  assert.deepEqual(codeOf(read), ['NOT_FOUND', 'id']);
});
