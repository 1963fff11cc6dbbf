// Two API servers on one PostgreSQL with IMAGE_STORE=database, as two replicas would run: what one stores, the
// other serves (images, their bytes, conversations, turns), and neither writes image files into its DATA_DIR.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startPostgres, type TestPostgres } from '@blip/testing';
import { fixture, OWNER, startTestServer, type TestServer } from '../testing/harness.js';

let pg: TestPostgres;
let a: TestServer;
let b: TestServer;

before(async () => {
  pg = await startPostgres();
  const databaseUrl = await pg.createDatabase('replicas');
  a = await startTestServer({ databaseUrl, imageStore: 'database' });
  b = await startTestServer({ databaseUrl, imageStore: 'database' });
});
after(async () => {
  await a?.close();
  await b?.close();
  await pg?.stop();
});

const CAPTION = `mutation ($i: ID!, $c: ID) { caption(imageId: $i, conversationId: $c, options: { maxNewTokens: 3 }) {
  conversation { id } turn { id status } } }`;
const TURNS = `query ($c: ID!) { conversation(id: $c) { turns { id status } } }`;

test('an image uploaded to one replica is read, captioned and listed on the other', async () => {
  const bytes = fixture('grey-96x64.png');
  const up = await a.upload(bytes);
  const imageId = up.data?.uploadImage.id as string;
  assert.ok(imageId, JSON.stringify(up.errors));
  const served = await fetch(`${b.url}/images/${imageId}`, { headers: { 'x-owner-key': OWNER } });
  assert.equal(served.status, 200);
  assert.deepEqual(new Uint8Array(await served.arrayBuffer()), bytes);

  type Caption = { caption: { conversation: { id: string }; turn: { id: string; status: string } } };
  const first = await b.gql<Caption>(CAPTION, { i: imageId });
  const conversationId = first.data?.caption.conversation.id as string;
  assert.equal(first.data?.caption.turn.status, 'COMPLETED', JSON.stringify(first.errors));
  const second = await a.gql<Caption>(CAPTION, { i: imageId, c: conversationId });
  assert.equal(second.data?.caption.turn.status, 'COMPLETED', JSON.stringify(second.errors));

  for (const server of [a, b]) {
    const r = await server.gql<{ conversation: { turns: { id: string }[] } }>(TURNS, { c: conversationId });
    assert.deepEqual(
      r.data?.conversation.turns.map((t) => t.id),
      [first.data?.caption.turn.id, second.data?.caption.turn.id],
    );
  }
  for (const server of [a, b]) assert.equal(existsSync(join(server.config.dataDir, 'images')), false);
});
