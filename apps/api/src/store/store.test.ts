// The store's contract, run once on SQLite and once on a real PostgreSQL 15 (started for this file): ownership
// scoping, pagination order, search, turn endings, concurrent writers, and re-opening after a crash.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startPostgres, type TestPostgres, tempDir } from '@blip/testing';
import { sql } from 'kysely';
import { decodeCursor, encodeCursor } from './cursor.js';
import { DatabaseImageBytes } from './image-bytes.js';
import { openStore, type Store, type StoreLocation } from './index.js';
import { TurnLeases } from './leases.js';
import { TurnRepo } from './turns.js';

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
const turnOf = (conversationId: string, question: string | null = 'q?') => ({
  conversationId,
  kind: question === null ? ('CAPTION' as const) : ('QUESTION' as const),
  question,
  model: 'm',
  precision: 'FP16' as const,
  options: { maxNewTokens: 5 },
});

/** Each test gets an empty database of the dialect under test. */
type Fresh = () => Promise<StoreLocation>;

let pg: TestPostgres | undefined;
let databases = 0;
const dialects: [string, Fresh][] = [
  ['SQLite', async () => ({ sqlitePath: join(tempDir('blip-store-'), 'blip.sqlite') })],
  [
    'PostgreSQL',
    async () => ({
      sqlitePath: '',
      databaseUrl: await (pg as TestPostgres).createDatabase(`t${++databases}`),
    }),
  ],
];

before(async () => {
  pg = await startPostgres();
});
after(async () => {
  await pg?.stop();
});

for (const [name, fresh] of dialects) {
  describe(`store on ${name}`, () => {
    const withStore = (title: string, body: (s: Store, where: StoreLocation) => Promise<void>) =>
      test(title, async () => {
        const where = await fresh();
        const store = await openStore(where);
        try {
          await body(store, where);
        } finally {
          await store.close();
        }
      });

    withStore('one image row per owner and content; other owners do not see it', async ({ images }) => {
      const a = await images.upsert(image('alice'));
      assert.equal((await images.upsert(image('alice'))).id, a.id);
      const b = await images.upsert(image('bob'));
      assert.notEqual(b.id, a.id);
      assert.equal(await images.get('bob', a.id), undefined);
      assert.equal((await images.get('alice', a.id))?.sha256, 'a'.repeat(64));
      assert.equal(await images.countBySha('a'.repeat(64)), 2);
      assert.equal(await images.delete('bob', a.id), false);
      assert.equal(await images.delete('alice', a.id), true);
      assert.equal(await images.count('alice'), 0);
    });

    withStore('the same upload racing on two connections gives one row', async ({ images }) => {
      const ids = await Promise.all(Array.from({ length: 8 }, () => images.upsert(image('alice'))));
      assert.equal(new Set(ids.map((i) => i.id)).size, 1);
      assert.equal(await images.count('alice'), 1);
    });

    withStore(
      'a turn is PENDING when written and ends exactly once; deleting a conversation deletes its turns',
      async (s) => {
        const img = await s.images.upsert(image('alice'));
        const c = await s.conversations.create('alice', img.id, { maxNewTokens: 5 }, 'title');
        const t = await s.turns.create(turnOf(c.id));
        const t2 = await s.turns.create(turnOf(c.id, null));
        const again = await s.turns.create({ ...turnOf(c.id, null), replaces: t2.id });
        assert.deepEqual([t2.replaces, (await s.turns.get(again.id))?.replaces], [null, t2.id]);
        assert.deepEqual([t.seq, t2.seq, t.status], [0, 1, 'PENDING']);
        assert.equal(
          await s.turns.finish(t.id, {
            status: 'CANCELLED',
            answer: 'part',
            tokenIds: [1, 2],
            confidence: 0.123456789,
          }),
          true,
        );
        assert.equal(await s.turns.finish(t.id, { status: 'COMPLETED', answer: 'late' }), false); // it already ended
        const stored = await s.turns.get(t.id);
        assert.deepEqual(
          [stored?.status, stored?.answer, stored?.tokenIds, stored?.confidence],
          ['CANCELLED', 'part', [1, 2], 0.123456789],
        );
        assert.deepEqual(
          [await s.turns.count(c.id), (await s.turns.list(c.id)).map((x) => x.id)],
          [3, [t.id, t2.id, again.id]],
        );
        assert.equal(await s.conversations.countUsing(img.id), 1);
        assert.equal(await s.conversations.delete('bob', c.id), false);
        assert.equal(await s.conversations.delete('alice', c.id), true);
        assert.equal(await s.turns.get(t2.id), undefined);
        assert.equal(await s.conversations.countUsing(img.id), 0);
      },
    );

    withStore('turns added to one conversation at once get distinct, gapless positions', async (s) => {
      const img = await s.images.upsert(image('alice'));
      const c = await s.conversations.create('alice', img.id, {}, null);
      const made = await Promise.all(Array.from({ length: 12 }, () => s.turns.create(turnOf(c.id))));
      assert.deepEqual(
        made.map((t) => t.seq).sort((x, y) => x - y),
        Array.from({ length: 12 }, (_, i) => i),
      );
    });

    withStore(
      'turns left PENDING by a crash become INTERRUPTED when the store is opened again',
      async (s, where) => {
        const img = await s.images.upsert(image('alice'));
        const c = await s.conversations.create('alice', img.id, {}, null);
        const pending = await s.turns.create(turnOf(c.id, null));
        const done = await s.turns.create(turnOf(c.id, null));
        await s.turns.finish(done.id, { status: 'COMPLETED', answer: 'a cat' });
        const second = await openStore(where); // as if the first process had died
        try {
          assert.equal(await second.turns.interruptPending(), 1);
          assert.equal((await second.turns.get(pending.id))?.status, 'INTERRUPTED');
          assert.equal((await second.turns.get(done.id))?.status, 'COMPLETED');
          assert.equal((await second.conversations.get('alice', c.id))?.id, c.id);
        } finally {
          await second.close();
        }
      },
    );

    withStore(
      'pages run newest activity first and cursors round-trip',
      async ({ db, images, conversations }) => {
        const img = await images.upsert(image('alice'));
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await conversations.create('alice', img.id, {}, null)).id);
        for (const [i, id] of ids.entries()) {
          await db
            .updateTable('conversations')
            .set({ updated_at: `2026-01-0${i + 1}T00:00:00.000Z` })
            .where('id', '=', id)
            .execute();
        }
        const page1 = await conversations.list('alice', 2);
        const last = page1.at(-1);
        assert.ok(last);
        const page2 = await conversations.list(
          'alice',
          2,
          decodeCursor(encodeCursor(last.updatedAt, last.id)),
        );
        assert.deepEqual(
          [...page1, ...page2].map((c) => c.id),
          [ids[4], ids[3], ids[2], ids[1]],
        );
        assert.deepEqual(await conversations.list('bob', 10), []);
        assert.equal(await conversations.count('alice'), 5);
        assert.equal(typeof (await conversations.count('alice')), 'number');
        assert.throws(() => decodeCursor('not-a-cursor'), /cursor/);
      },
    );

    withStore(
      'search matches title, questions and answers, ignoring case, with % and _ taken literally',
      async (s) => {
        const img = await s.images.upsert(image('alice'));
        const titled = await s.conversations.create('alice', img.id, {}, 'Red Circles');
        const asked = await s.conversations.create('alice', img.id, {}, null);
        const turn = await s.turns.create(turnOf(asked.id, 'how many 100% squares?'));
        await s.turns.finish(turn.id, { status: 'COMPLETED', answer: 'Three_Blue' });
        await s.conversations.create('bob', (await s.images.upsert(image('bob'))).id, {}, 'red circles');
        const found = async (text: string) =>
          (await s.conversations.list('alice', 10, undefined, text)).map((c) => c.id);
        assert.deepEqual(await found('CIRCLE'), [titled.id]);
        assert.deepEqual(await found('100%'), [asked.id]);
        assert.deepEqual(await found('three_blue'), [asked.id]);
        assert.deepEqual(await found('0%%'), []);
        assert.deepEqual(await found('thre_'), []); // _ is not a wildcard: "thre_" is not in "Three_Blue"
        assert.equal(await s.conversations.count('alice', 'r'), 2);
      },
    );

    withStore('image bytes in the database are kept while any image row holds them', async (s) => {
      const bytes = new DatabaseImageBytes(s.db);
      const sha = 'c'.repeat(64);
      const data = new Uint8Array([0, 255, 1, 254, 0, 0, 7]);
      const row = await s.images.upsert(image('alice', sha));
      assert.equal(await bytes.put(sha, data), true);
      assert.equal(await bytes.put(sha, data), false);
      assert.deepEqual(await bytes.read(sha), data);
      await bytes.remove(sha); // alice's row still holds them
      assert.equal(await bytes.has(sha), true);
      await s.images.delete('alice', row.id);
      await bytes.remove(sha);
      assert.equal(await bytes.has(sha), false);
      await assert.rejects(bytes.read(sha), /no stored bytes/);
    });

    withStore('a turn is interrupted only once its holder stops renewing its lease', async (s) => {
      const img = await s.images.upsert(image('alice'));
      const c = await s.conversations.create('alice', img.id, {}, null);
      const live = new TurnRepo(s.db, { owner: 'replica-a', ms: 60_000 });
      // A lease that is already over when written: a holder that died the moment it made the turn.
      const dead = new TurnRepo(s.db, { owner: 'replica-b', ms: -1 });
      const other = new TurnRepo(s.db, { owner: 'replica-c', ms: 60_000 });
      const running = await live.create(turnOf(c.id));
      const orphan = await dead.create(turnOf(c.id));
      assert.equal(running.leaseOwner, 'replica-a');
      assert.equal(await live.renewLeases([running.id]), 1);
      assert.equal(await live.renewLeases([]), 0);
      assert.equal(await other.renewLeases([running.id, orphan.id]), 0); // renews only its own
      assert.deepEqual(await other.interruptExpired(), [{ id: orphan.id, leaseOwner: 'replica-b' }]);
      assert.equal((await s.turns.get(orphan.id))?.status, 'INTERRUPTED');
      assert.equal((await s.turns.get(running.id))?.status, 'PENDING');
      assert.equal(await dead.finish(orphan.id, { status: 'COMPLETED', answer: 'too late' }), false);
      assert.equal(await live.finish(running.id, { status: 'COMPLETED', answer: 'in time' }), true);
      assert.deepEqual(await other.interruptExpired(), []);
    });

    withStore(
      'start-up recovery: SQLite interrupts every PENDING turn, PostgreSQL only expired leases',
      async (s) => {
        const img = await s.images.upsert(image('alice'));
        const c = await s.conversations.create('alice', img.id, {}, null);
        const neighbour = new TurnRepo(s.db, { owner: 'neighbour', ms: 60_000 });
        const live = await neighbour.create(turnOf(c.id));
        const expired = await new TurnRepo(s.db, { owner: 'gone', ms: -1 }).create(turnOf(c.id));
        const leases = new TurnLeases(s.turns, { leaseMs: 1000, renewMs: 100 });
        const sqlite = s.dialect === 'sqlite';
        assert.equal(await leases.recover(s.dialect), sqlite ? 2 : 1);
        assert.equal((await s.turns.get(expired.id))?.status, 'INTERRUPTED');
        assert.equal((await s.turns.get(live.id))?.status, sqlite ? 'INTERRUPTED' : 'PENDING');
      },
    );

    withStore('settings and titles are stored per owner', async ({ images, conversations }) => {
      const img = await images.upsert(image('alice'));
      const c = await conversations.create('alice', img.id, { maxNewTokens: 3 }, null);
      assert.equal(await conversations.rename('bob', c.id, 'x'), false);
      assert.equal(await conversations.rename('alice', c.id, 'mine'), true);
      assert.equal(await conversations.updateSettings('alice', c.id, { numBeams: 2 }), true);
      const got = await conversations.get('alice', c.id);
      assert.deepEqual([got?.title, got?.settings], ['mine', { numBeams: 2 }]);
    });
  });
}

test('SQLite runs in WAL mode with foreign keys on, and adopts a file made before the Migrator', async () => {
  const path = join(tempDir('blip-store-'), 'blip.sqlite');
  const { default: Database } = await import('better-sqlite3');
  const legacy = new Database(path);
  legacy.exec(`CREATE TABLE images (id TEXT PRIMARY KEY, owner TEXT NOT NULL, sha256 TEXT NOT NULL, format TEXT NOT NULL,
    mime TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, byte_size INTEGER NOT NULL, filename TEXT,
    created_at TEXT NOT NULL, UNIQUE (owner, sha256));
    INSERT INTO images VALUES ('old', 'alice', '${'b'.repeat(64)}', 'png', 'image/png', 1, 1, 1, NULL, '2025-01-01T00:00:00.000Z');`);
  legacy.pragma('user_version = 1');
  legacy.close();
  const store = await openStore({ sqlitePath: path });
  try {
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`PRAGMA ${name}`).execute(store.db)).rows[0] as object)[0];
    assert.equal(await pragma('journal_mode'), 'wal');
    assert.equal(await pragma('foreign_keys'), 1);
    assert.equal((await store.images.get('alice', 'old'))?.sha256, 'b'.repeat(64));
    const img = await store.images.upsert(image('alice'));
    const c = await store.conversations.create('alice', img.id, {}, null);
    const t = await store.turns.create(turnOf(c.id));
    await store.turns.finish(t.id, { status: 'COMPLETED', answer: 'x', confidence: 0.5 });
    assert.equal((await store.turns.get(t.id))?.confidence, 0.5);
  } finally {
    await store.close();
  }
});
