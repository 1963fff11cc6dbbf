// The caller's library: images listed and deleted (refused while a conversation uses one), conversations
// renamed and searched, deleting a conversation removing an image nothing else uses, and text limits.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fixture, OTHER, startStandInServer, type TestServer } from '../testing/harness.js';

let server: TestServer;
before(async () => {
  server = await startStandInServer({}, { maxTitleChars: 20, maxSearchChars: 10 });
});
after(() => server.close());

const codeOf = (r: { errors?: { extensions?: { code?: string; field?: string } }[] }) => [
  r.errors?.[0]?.extensions?.code,
  r.errors?.[0]?.extensions?.field,
];

async function upload(name: string, ownerKey: string): Promise<{ id: string; sha256: string }> {
  const r = await server.upload(fixture(name), name, { ownerKey });
  const image = r.data?.uploadImage as { id: string; sha256: string } | undefined;
  assert.ok(image, JSON.stringify(r.errors));
  return image;
}

async function conversation(imageId: string, ownerKey: string, title?: string): Promise<string> {
  const r = await server.gql<{ createConversation: { id: string } }>(
    'mutation ($i: ID!, $t: String) { createConversation(imageId: $i, title: $t) { id } }',
    { i: imageId, t: title },
    { ownerKey },
  );
  assert.ok(r.data, JSON.stringify(r.errors));
  return r.data.createConversation.id;
}

const stored = (sha256: string) =>
  existsSync(join(server.config.dataDir, 'images', sha256.slice(0, 2), sha256));

test('images are listed newest first, page by page, with how many conversations use each', async () => {
  const owner = 'library-owner-key-000001';
  const a = await upload('pixel-1x1.png', owner);
  const b = await upload('grey-96x64.png', owner);
  await conversation(a.id, owner);
  const first = await server.gql<{
    images: {
      totalCount: number;
      pageInfo: { endCursor: string };
      nodes: { id: string; conversationCount: number }[];
    };
  }>(
    '{ images(first: 1) { totalCount pageInfo { endCursor } nodes { id conversationCount } } }',
    {},
    { ownerKey: owner },
  );
  assert.equal(first.data?.images.totalCount, 2);
  assert.deepEqual(first.data?.images.nodes, [{ id: b.id, conversationCount: 0 }]);
  const second = await server.gql<{ images: { nodes: { id: string; conversationCount: number }[] } }>(
    'query ($after: String) { images(first: 1, after: $after) { nodes { id conversationCount } } }',
    { after: first.data?.images.pageInfo.endCursor },
    { ownerKey: owner },
  );
  assert.deepEqual(second.data?.images.nodes, [{ id: a.id, conversationCount: 1 }]);
  const other = await server.gql<{ images: { totalCount: number } }>(
    '{ images { totalCount } }',
    {},
    { ownerKey: OTHER },
  );
  assert.equal(other.data?.images.totalCount, 0);
});

test('deleteImage is refused while a conversation uses the image; the bytes stay while another owner has them', async () => {
  const alice = 'library-alice-key-000001';
  const bob = 'library-bobby-key-000001';
  const mine = await upload('alpha-120x120.png', alice);
  const theirs = await upload('alpha-120x120.png', bob);
  const c = await conversation(mine.id, alice);
  const del = (id: string, ownerKey: string) =>
    server.gql<{ deleteImage: string }>('mutation ($id: ID!) { deleteImage(id: $id) }', { id }, { ownerKey });
  assert.deepEqual(codeOf(await del(mine.id, alice)), ['IMAGE_IN_USE', 'id']);
  assert.deepEqual(codeOf(await del(mine.id, bob)), ['NOT_FOUND', 'id'], 'not hers to delete');
  // Deleting the conversation takes the image with it (nothing else uses it); Bob's copy keeps the bytes.
  await server.gql('mutation ($id: ID!) { deleteConversation(id: $id) }', { id: c }, { ownerKey: alice });
  const gone = await server.gql(
    'query ($id: ID!) { image(id: $id) { id } }',
    { id: mine.id },
    { ownerKey: alice },
  );
  assert.deepEqual(codeOf(gone), ['NOT_FOUND', 'id']);
  assert.ok(stored(mine.sha256), 'another owner still has these bytes');
  assert.equal((await del(theirs.id, bob)).data?.deleteImage, theirs.id);
  assert.equal(stored(mine.sha256), false, 'the last owner deleted them');
  assert.equal(
    (await fetch(`${server.url}/images/${theirs.id}`, { headers: { 'x-owner-key': bob } })).status,
    404,
  );
});

test('deleting one of two conversations about an image keeps the image', async () => {
  const owner = 'library-owner-key-000002';
  const image = await upload('tall-300x800.png', owner);
  const [c1] = [await conversation(image.id, owner), await conversation(image.id, owner)];
  await server.gql('mutation ($id: ID!) { deleteConversation(id: $id) }', { id: c1 }, { ownerKey: owner });
  const r = await server.gql<{ image: { conversationCount: number } }>(
    'query ($id: ID!) { image(id: $id) { conversationCount } }',
    { id: image.id },
    { ownerKey: owner },
  );
  assert.equal(r.data?.image.conversationCount, 1);
});

test('renameConversation sets and clears the title; search finds titles; text limits name the field', async () => {
  const owner = 'library-owner-key-000003';
  const image = await upload('pixel-1x1.png', owner);
  const a = await conversation(image.id, owner, 'Red 100% _cars_');
  await conversation(image.id, owner, 'blue boats');
  const search = async (text: string) => {
    const r = await server.gql<{
      conversations: { totalCount: number; nodes: { id: string; createdAt: string }[] };
    }>(
      'query ($s: String) { conversations(search: $s) { totalCount nodes { id createdAt } } }',
      { s: text },
      { ownerKey: owner },
    );
    assert.ok(r.data, JSON.stringify(r.errors));
    return r.data.conversations;
  };
  assert.deepEqual(
    (await search('100%')).nodes.map((n) => n.id),
    [a],
    '% is a character, not a wildcard',
  );
  assert.equal((await search('RED')).totalCount, 1, 'case-insensitive');
  assert.equal((await search('_')).totalCount, 1, '_ is a character, not a wildcard');
  assert.equal((await search('')).totalCount, 2, 'an empty search lists everything');
  assert.match((await search('boats')).nodes[0]?.createdAt ?? '', /^\d{4}-\d\d-\d\dT/);
  const rename = (title: string | null) =>
    server.gql<{ renameConversation: { title: string | null } }>(
      'mutation ($id: ID!, $t: String) { renameConversation(id: $id, title: $t) { title } }',
      { id: a, t: title },
      { ownerKey: owner },
    );
  assert.equal((await rename('  ships  ')).data?.renameConversation.title, 'ships');
  assert.equal((await search('ships')).totalCount, 1);
  assert.equal((await rename(null)).data?.renameConversation.title, null);
  assert.deepEqual(codeOf(await rename('x'.repeat(21))), ['BAD_USER_INPUT', 'title']);
  const longTitle = await server.gql(
    'mutation ($i: ID!) { createConversation(imageId: $i, title: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") { id } }',
    { i: image.id },
    { ownerKey: owner },
  );
  assert.deepEqual(codeOf(longTitle), ['BAD_USER_INPUT', 'title']);
  const longSearch = await server.gql(
    '{ conversations(search: "12345678901") { totalCount } }',
    {},
    { ownerKey: owner },
  );
  assert.deepEqual(codeOf(longSearch), ['BAD_USER_INPUT', 'search']);
  const other = await server.gql(
    'mutation ($id: ID!) { renameConversation(id: $id, title: "mine") { id } }',
    { id: a },
    { ownerKey: OTHER },
  );
  assert.deepEqual(codeOf(other), ['NOT_FOUND', 'id']);
});
