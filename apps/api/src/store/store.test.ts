// The SQLite store on a real database file: ownership scoping, pagination order, turn endings, crash recovery.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConversationRepo } from './conversations.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { openDatabase } from './db.js';
import { ImageRepo } from './images.js';
import { TurnRepo } from './turns.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'blip-store-')), 'blip.sqlite');

function repos(path: string) {
  const db = openDatabase(path);
  return { db, images: new ImageRepo(db), conversations: new ConversationRepo(db), turns: new TurnRepo(db) };
}

const image = (owner: string, sha256 = 'a'.repeat(64)) => ({
  owner,
  sha256,
  format: 'png',
  mime: 'image/png',
  width: 4,
  height: 3,
  byteSize: 99,
  filename: null,
});

test('the database runs in WAL mode with foreign keys on', () => {
  const { db } = repos(fresh());
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  db.close();
});

test('one image row per owner and content; other owners do not see it', () => {
  const { db, images } = repos(fresh());
  const a = images.upsert(image('alice'));
  assert.equal(images.upsert(image('alice')).id, a.id);
  const b = images.upsert(image('bob'));
  assert.notEqual(b.id, a.id);
  assert.equal(images.get('bob', a.id), undefined);
  assert.equal(images.get('alice', a.id)?.sha256, 'a'.repeat(64));
  db.close();
});

test('a turn is PENDING when written and ends exactly once; deleting a conversation deletes its turns', () => {
  const { db, images, conversations, turns } = repos(fresh());
  const img = images.upsert(image('alice'));
  const c = conversations.create('alice', img.id, { maxNewTokens: 5 }, 'title');
  const t = turns.create({
    conversationId: c.id,
    kind: 'QUESTION',
    question: 'q?',
    model: 'm',
    precision: 'FP16',
    options: {},
  });
  const t2 = turns.create({
    conversationId: c.id,
    kind: 'CAPTION',
    question: null,
    model: 'm',
    precision: 'FP16',
    options: {},
  });
  assert.deepEqual([t.seq, t2.seq, t.status], [0, 1, 'PENDING']);
  turns.finish(t.id, { status: 'CANCELLED', answer: 'part', tokenIds: [1, 2] });
  turns.finish(t.id, { status: 'COMPLETED', answer: 'late' }); // ignored: it already ended
  assert.deepEqual(
    [turns.get(t.id)?.status, turns.get(t.id)?.answer, turns.get(t.id)?.tokenIds],
    ['CANCELLED', 'part', [1, 2]],
  );
  assert.equal(conversations.delete('bob', c.id), false);
  assert.equal(conversations.delete('alice', c.id), true);
  assert.equal(turns.get(t2.id), undefined);
  db.close();
});

test('turns left PENDING by a crash become INTERRUPTED when the database is opened again', () => {
  const path = fresh();
  const first = repos(path);
  const img = first.images.upsert(image('alice'));
  const c = first.conversations.create('alice', img.id, {}, null);
  const pending = first.turns.create({
    conversationId: c.id,
    kind: 'CAPTION',
    question: null,
    model: 'm',
    precision: 'FP16',
    options: {},
  });
  const done = first.turns.create({
    conversationId: c.id,
    kind: 'CAPTION',
    question: null,
    model: 'm',
    precision: 'FP16',
    options: {},
  });
  first.turns.finish(done.id, { status: 'COMPLETED', answer: 'a cat' });
  first.db.close(); // as if the process had died here

  const second = repos(path);
  assert.equal(second.turns.interruptPending(), 1);
  assert.equal(second.turns.get(pending.id)?.status, 'INTERRUPTED');
  assert.equal(second.turns.get(done.id)?.status, 'COMPLETED');
  assert.equal(second.conversations.get('alice', c.id)?.id, c.id);
  second.db.close();
});

test('pages run newest activity first and cursors round-trip', () => {
  const { db, images, conversations } = repos(fresh());
  const img = images.upsert(image('alice'));
  const ids = Array.from({ length: 5 }, () => conversations.create('alice', img.id, {}, null).id);
  for (const [i, id] of ids.entries()) {
    db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?').run(
      `2026-01-0${i + 1}T00:00:00.000Z`,
      id,
    );
  }
  const page1 = conversations.list('alice', 2);
  const last = page1.at(-1);
  assert.ok(last);
  const page2 = conversations.list('alice', 2, decodeCursor(encodeCursor(last.updatedAt, last.id)));
  assert.deepEqual(
    [...page1, ...page2].map((c) => c.id),
    [ids[4], ids[3], ids[2], ids[1]],
  );
  assert.deepEqual(conversations.list('bob', 10), []);
  assert.throws(() => decodeCursor('not-a-cursor'), /cursor/);
  db.close();
});
