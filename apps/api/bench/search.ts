// `npx tsx apps/api/bench/search.ts --model /work/fullsize/blip-itm-base-random [--queries 20] [--images 5]
// [--captions 12] [--write]`: text-to-image search as a user gets it (issue 20): the real API as a child process on
// SQLite, then on a PostgreSQL 15 started here, a library of 1,000 and then 10,000 images whose vectors live in the
// API's database, and `searchImages` over
// HTTP (the text feature, reading every vector of the owner from SQLite, the first pass, the hits' conversations).
// Also the upload with its vector and the caption after it, with SEARCH_VECTORS_AT_UPLOAD on and off, and the
// re-rank per candidate through the API. The library's rows are written into the API's SQLite file by this process
// (the same store code); their vectors are random unit vectors in the model's space (only their count matters to
// the time). --write puts the table in BENCHMARKS.md "Search through the API".
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { startApi, startPostgres, uploadForm } from '@blip/testing';
import {
  benchImage,
  countArg,
  loadNow,
  machineLine,
  ms,
  percentile,
  searchBenchArgs,
  writeNamedSection,
} from '@blip/testing/bench';
import { REPO_ROOT } from '../src/config.js';
import { newId, nowIso } from '../src/ids.js';
import { openStore, type Store } from '../src/store/index.js';
import { uploadImages } from './load-clients.js';

const TITLE = 'Search through the API';
const LIBRARY_SIZES = [1_000, 10_000];
const FIRST = 10;
const TEXTS = ['two red circles and a triangle', 'a dog on a beach', 'a picture with a purple triangle'];
const OWNER_KEY = 'load-bench-owner-0000'; // the key load-clients.ts uploads with
const SERVER_START_TIMEOUT_MS = 300_000;
const INSERT_BATCH = 500;

const READING = `How to read it: a query costs the text feature (one text-encoder run), one read of every image id and
vector of the owner from the database (about 1 KB per image at D = 256: linear in the library, and at 10,000 images as
large a part as the model run), the first pass (\`topBySimilarity\`) and the hits' rows and conversations. A re-rank
adds one matching-head run per candidate, here with the image's embeddings cached (they were, since its upload);
without them the vision encoder runs too (previous section). The last two rows are the decision of
\`SEARCH_VECTORS_AT_UPLOAD\`: the vector at upload makes the upload's answer later by about one vision-encoder run,
and the caption asked next sooner by about as much, since it finds the image's embeddings cached.`;

const p50 = (values: number[]) => percentile(values, 50);

async function gql<T>(url: string, query: string, variables: Record<string, unknown>, owner = OWNER_KEY) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-owner-key': owner },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(`${res.status}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function timed<R>(work: () => Promise<R>): Promise<[R, number]> {
  const start = performance.now();
  return [await work(), performance.now() - start];
}

const SEARCH = `query ($text: String!, $first: Int, $rerank: Int) {
  searchImages(text: $text, first: $first, rerank: $rerank) { searched embedded reranked hits { score image { id url } conversation { id } } }
}`;
type Search = { searchImages: { searched: number; embedded: number; reranked: number } };

/** p50 of `count` searches (after one untimed), checking that every stored vector was searched and none made. */
async function searchP50(url: string, count: number, expect: number, rerank = 0, owner = OWNER_KEY) {
  const run = (i: number) =>
    timed(() =>
      gql<Search>(url, SEARCH, { text: `${TEXTS[i % TEXTS.length]} ${i}`, first: FIRST, rerank }, owner),
    );
  await run(-1);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const [data, took] = await run(i);
    const { searched, embedded, reranked } = data.searchImages;
    if (searched !== expect || embedded !== 0 || reranked !== Math.min(rerank, expect))
      throw new Error(`searched ${searched}, embedded ${embedded}, reranked ${reranked}; expected ${expect}`);
    times.push(took);
  }
  return p50(times);
}

/** Random unit float32 vectors, as bytes the way the store keeps them. */
function randomVectorBytes(size: number): Buffer {
  const v = Float32Array.from({ length: size }, () => Math.random() * 2 - 1);
  const norm = Math.hypot(...v);
  return Buffer.from(v.map((x) => x / norm).buffer);
}

/** Adds image rows (no bytes: a first-pass search never reads them) with vectors until the owner has `total`. */
async function growLibrary(store: Store, owner: string, space: string, size: number, total: number) {
  let have = (await store.features.forOwner(owner, space)).length;
  while (have < total) {
    const n = Math.min(INSERT_BATCH, total - have);
    const rows = Array.from({ length: n }, () => ({
      id: newId(),
      owner,
      sha256: randomBytes(32).toString('hex'),
      format: 'jpeg',
      mime: 'image/jpeg',
      width: 640,
      height: 480,
      byte_size: 1,
      filename: null,
      created_at: nowIso(),
    }));
    await store.db.insertInto('images').values(rows).execute();
    const vectors = rows.map((r) => ({
      image_id: r.id,
      model: space,
      vector: randomVectorBytes(size),
      created_at: r.created_at,
    }));
    await store.db.insertInto('image_features').values(vectors).execute();
    have += n;
  }
}

/** Upload (its vector made at upload when on) then a one-token caption, per image, on two servers at once
 * (SEARCH_VECTORS_AT_UPLOAD on and off), taking turns image by image so that the machine's other load falls on
 * both alike: p50 of each. Every image is new to both servers. */
async function uploadThenCaption(model: string, images: Uint8Array[]) {
  const start = (atUpload: boolean) =>
    startApi({
      env: { BLIP_MODELS: model, SEARCH_VECTORS_AT_UPLOAD: String(atUpload), SHUTDOWN_GRACE_MS: '0' },
      timeoutMs: SERVER_START_TIMEOUT_MS,
    });
  const servers = [await start(true), await start(false)];
  const times = servers.map(() => ({ upload: [] as number[], caption: [] as number[] }));
  try {
    for (const [i, bytes] of images.entries()) {
      for (const k of i % 2 ? [1, 0] : [0, 1]) {
        const url = (servers[k] as { url: string }).url;
        const [[id], up] = await timed(() => uploadImages(url, [bytes]));
        const [, caption] = await timed(() =>
          gql(url, 'mutation ($i: ID!) { caption(imageId: $i, options: { maxNewTokens: 1 }) { text } }', {
            i: id,
          }),
        );
        times[k]?.upload.push(up);
        times[k]?.caption.push(caption);
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  return times.map((t) => ({ upload: p50(t.upload), caption: p50(t.caption) }));
}

type Split = { upload: number; caption: number };

/** Uploads as `owner` (multipart, as the web app does). */
async function uploadAs(url: string, owner: string, bytes: Uint8Array): Promise<void> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'x-graphql-yoga-csrf': '1', 'x-owner-key': owner },
    body: uploadForm(bytes, 'scene.jpg'),
  });
  if (!res.ok) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
}

/** The owner (as stored) and the model's vector space and size, from the first stored vector. */
async function firstVector(store: Store) {
  const row = await store.db
    .selectFrom('image_features')
    .innerJoin('images', 'images.id', 'image_features.image_id')
    .select(['images.owner', 'image_features.model', 'image_features.vector'])
    .executeTakeFirstOrThrow();
  return { owner: row.owner, space: row.model, size: row.vector.byteLength / 4 };
}

/** The library rows of the table: vectors read from SQLite and whole searches over HTTP. */
/** Where the API keeps its rows: its SQLite file (the default) or a PostgreSQL started here (DATABASE_URL). */
type Database = 'SQLite' | 'PostgreSQL';

/** The API on `database` and a store on the same database for this process; stop() ends all of it. */
async function apiOn(model: string, database: Database) {
  const pg = database === 'PostgreSQL' ? await startPostgres() : undefined;
  const databaseUrl = pg ? await pg.createDatabase('search_bench') : undefined;
  const env: Record<string, string> = { BLIP_MODELS: model, SHUTDOWN_GRACE_MS: '0' };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const api = await startApi({ env, timeoutMs: SERVER_START_TIMEOUT_MS });
  const store = await openStore({ sqlitePath: join(api.dataDir, 'blip.sqlite'), databaseUrl });
  const stop = async () => {
    await store.close();
    await api.stop();
    await pg?.stop();
  };
  return { api, store, stop };
}

/** The library rows of the table on one database: vectors read from it and whole searches over HTTP. */
async function libraryRows(model: string, image: Uint8Array, queries: number, database: Database) {
  const { api, store, stop } = await apiOn(model, database);
  const rows: string[] = [];
  try {
    await uploadImages(api.url, [image]); // its vector is made at upload: the space and the owner
    const { owner, space, size } = await firstVector(store);
    for (const total of LIBRARY_SIZES) {
      await growLibrary(store, owner, space, size, total);
      const reads: number[] = [];
      for (let i = 0; i < queries; i++)
        reads.push((await timed(() => store.features.forOwner(owner, space)))[1]);
      const label = total.toLocaleString('en');
      rows.push(
        `| reading ${label} images with their vectors from ${database} (\`ImageFeatureRepo.forOwner\`) | ${ms(p50(reads))} |`,
      );
      rows.push(
        `| **\`searchImages\` over ${label} images, ${database}** (first ${FIRST}, no re-rank; HTTP, as a client sees it) | **${ms(await searchP50(api.url, queries, total))}** |`,
      );
    }
  } finally {
    await stop();
  }
  return rows;
}

/** The re-rank rows: the same few images searched without and with all of them re-ranked. */
async function rerankRows(model: string, images: Uint8Array[]) {
  const { api, stop } = await apiOn(model, 'SQLite');
  try {
    for (const bytes of images) await uploadAs(api.url, OWNER_KEY, bytes);
    const plain = await searchP50(api.url, 5, images.length, 0);
    const reranked = await searchP50(api.url, 5, images.length, images.length);
    return [
      `| \`searchImages\` over ${images.length} images, no re-rank | ${ms(plain)} |`,
      `| the same, all ${images.length} re-ranked (embeddings cached since upload) | ${ms(reranked)} |`,
      `| **re-rank per candidate through the API** ((re-ranked − plain) / ${images.length}) | **${ms((reranked - plain) / images.length)}** |`,
    ];
  } finally {
    await stop();
  }
}

async function main(argv: string[]): Promise<void> {
  const {
    values,
    model,
    queries,
    images: imageCount,
  } = searchBenchArgs(argv, { captions: { type: 'string' } });
  const captions = countArg(values.captions, 12, 'captions');
  const images = await Promise.all(Array.from({ length: imageCount }, (_, i) => benchImage(i)));
  const rows: string[] = [];
  for (const database of ['SQLite', 'PostgreSQL'] as const)
    rows.push(...(await libraryRows(model, images[0] as Uint8Array, queries, database)));
  rows.push(...(await rerankRows(model, images)));
  const fresh = await Promise.all(Array.from({ length: captions }, (_, i) => benchImage(2000 + i)));
  const [on, off] = (await uploadThenCaption(model, fresh)) as [Split, Split];
  for (const [name, r] of [
    ['on', on],
    ['off', off],
  ] as const)
    rows.push(
      `| upload, then a one-token caption, SEARCH_VECTORS_AT_UPLOAD=${name === 'on' ? 'true' : 'false'} | ${ms(r.upload)} + ${ms(r.caption)} = ${ms(r.upload + r.caption)} |`,
    );
  const when = new Date().toISOString().slice(0, 16);
  const command = `npx tsx apps/api/bench/search.ts --model ${model} --queries ${queries} --images ${imageCount} --captions ${captions}`;
  const section = [
    `## ${TITLE}`,
    '',
    `Command: \`${command}\` (${when}Z) — ${machineLine()}, load average ${loadNow().toFixed(1)} at the end, API defaults (SQLite in its data folder; then PostgreSQL 15 on a unix socket, as the store tests start it; engine defaults). The real API as a child process; the library's rows and random unit vectors written into its database by the bench (the store's own code); each search a \`searchImages\` POST timed by the client, p50 of ${queries} (5 for the re-rank rows) after one untimed.`,
    '',
    '| what | p50 ms |',
    '|---|---:|',
    ...rows,
    '',
    READING,
  ].join('\n');
  console.log(section);
  if (values.write) await writeNamedSection(resolve(REPO_ROOT, 'BENCHMARKS.md'), TITLE, section);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`error: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
});
