// Audit findings of issue 16 about load, one case each (see e2e/known-open.ts for those not fixed yet):
// #16.1 one operation must not fill the queue, #16.2 an upload burst must not multiply memory,
// #16.9b OVERLOADED is HTTP 429 with Retry-After.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { peakRssMiB, resetPeakRss } from '@blip/testing';
import sharp from 'sharp';
import { type Api, rssMiB, startApi } from './api.js';
import { ALICE, BOB, gql, outcome, pngOf, postJson, upload } from './client.js';
import { answerOperation } from './findings.js';
import { recordFigure, recordFinding } from './results.js';
import { allTurns } from './turns.js';

const MAX_QUEUE = 2;
/** Answers sent at once for #16.9b: 20× what the server may hold. */
const OVERLOAD_BURST = 60;
/** The audit's burst: parallel uploads of a small PNG that decodes to 8000×5000 (within MAX_IMAGE_PIXELS). */
const BURST = 30;
const BURST_SIZE = { width: 8000, height: 5000 };
/** The stated bound: the burst may raise the API's RSS by at most this much: the engine's default decode budget
 * (DecodeLimits.decodeMemoryBytes, 512 MiB, at most 2 decodes at once) plus 512 MiB for everything else. */
const BURST_GROWTH_BOUND_MIB = 1024;
let api: Api;
let imageId: string;

before(async () => {
  api = await startApi({ env: { BLIP_CONCURRENCY: '1', BLIP_MAX_QUEUE: String(MAX_QUEUE) } });
  imageId = (await upload(api.graphql, await pngOf(40, 30))).data?.uploadImage.id as string;
});
after(() => api.stop());

test('#16.2: 30 parallel uploads of a PNG that decodes to 8000×5000 stay within the memory bound', async () => {
  const { width, height } = BURST_SIZE;
  const png = new Uint8Array(
    await sharp({ create: { width, height, channels: 3, background: '#2080c0' } })
      .png({ compressionLevel: 9, palette: true })
      .toBuffer(),
  );
  const before = rssMiB(api.pid);
  const resettable = resetPeakRss(api.pid);
  const results = await Promise.all(
    Array.from({ length: BURST }, (_, k) =>
      upload(api.graphql, png, `b${k}.png`, `burst-owner-${k}-aaaaaaaa`),
    ),
  );
  const peak = peakRssMiB(api.pid);
  const counts: Record<string, number> = {};
  for (const r of results) counts[outcome(r)] = (counts[outcome(r)] ?? 0) + 1;
  recordFigure('memory', 'upload burst: PNG bytes (decodes to 8000×5000)', png.byteLength, 'bytes');
  recordFigure('memory', `upload burst: RSS before ${BURST} parallel uploads`, before, 'MiB');
  recordFigure('memory', `upload burst: peak RSS${resettable ? '' : ' (lifelong peak)'}`, peak, 'MiB');
  recordFigure('memory', 'upload burst: outcomes', JSON.stringify(counts));
  recordFigure('memory', 'upload burst: uploads tried', BURST);
  const typed = Object.keys(counts).every((c) => c === 'OK' || /^[A-Z_]+$/.test(c));
  assert.ok(typed, `untyped outcomes: ${JSON.stringify(counts)}`);
  const growth = Math.round(peak - before);
  assert.ok(
    recordFinding(
      '16.2',
      `${BURST} parallel uploads of a ${png.byteLength}-byte PNG decoding to 8000×5000: peak RSS growth`,
      `≤ ${BURST_GROWTH_BOUND_MIB} MiB, every upload OK or a typed refusal`,
      `${growth} MiB (${before} → ${peak} MiB)`,
      growth <= BURST_GROWTH_BOUND_MIB,
    ),
  );
});

test('#16.1: one operation with 15 aliased answers is refused before anything runs', async () => {
  const op = await answerOperation(api.graphql);
  const fields = Array.from(
    { length: 15 },
    (_, k) => `a${k}: answer(imageId: $i, question: "alias ${k}?", options: { maxNewTokens: 8 }) { text }`,
  );
  const turnsBefore = (await allTurns(api.graphql, ALICE)).turns.length;
  const r = await postJson(api.graphql, {
    query: `${op} ($i: ID!) { ${fields.join('\n')} }`,
    variables: { i: imageId },
  });
  const answered = Object.values(r.data ?? {}).filter(Boolean).length;
  const newTurns = (await allTurns(api.graphql, ALICE)).turns.length - turnsBefore;
  const other = await gql(
    api.graphql,
    `${op} ($i: ID!) { answer(imageId: $i, question: "and bob?", options: { maxNewTokens: 2 }) { text } }`,
    { i: (await upload(api.graphql, await pngOf(20, 20), 'b.png', BOB)).data?.uploadImage.id },
    BOB,
  );
  recordFigure('load', '#16.1 aliased answers tried in one operation', 15);
  assert.ok(
    recordFinding(
      '16.1',
      '15 aliased `answer` fields in one operation',
      'refused with a code, 0 answers, 0 turns stored; another owner then answered',
      `${outcome(r)}, ${answered} answers, ${newTurns} turns stored; other owner: ${outcome(other)}`,
      outcome(r) !== 'OK' && answered === 0 && newTurns === 0 && outcome(other) === 'OK',
    ),
  );
});

test('#16.9b: OVERLOADED over HTTP is status 429 with Retry-After', async () => {
  // A burst far past what the server holds (1 running + MAX_QUEUE waiting), all sent at once: however fast the
  // machine answers, most arrive while the queue is full. The check is on the refused ones' HTTP status.
  const op = await answerOperation(api.graphql);
  const ask = `${op} ($i: ID!, $q: String!) { answer(imageId: $i, question: $q, options: { minNewTokens: 100, maxNewTokens: 100 }) { text } }`;
  const send = async (k: number) => {
    const res = await fetch(api.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-owner-key': ALICE },
      body: JSON.stringify({ query: ask, variables: { i: imageId, q: `one of many ${k}?` } }),
    });
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      code: body.errors?.[0]?.extensions?.code,
    };
  };
  const replies = await Promise.all(Array.from({ length: OVERLOAD_BURST }, (_, k) => send(k)));
  const refused = replies.filter((r) => r.code === 'OVERLOADED');
  recordFigure('load', '#16.9b answers tried at once (queue 2)', OVERLOAD_BURST);
  assert.ok(refused.length > 0, 'a burst this far past the queue must see OVERLOADED');
  const statuses = [
    ...new Set(refused.map((r) => `HTTP ${r.status}, Retry-After ${r.retryAfter ?? 'absent'}`)),
  ];
  const ok = refused.every((r) => r.status === 429 && r.retryAfter !== null);
  assert.ok(
    recordFinding(
      '16.9b',
      `OVERLOADED over HTTP (${refused.length} of ${OVERLOAD_BURST} refused)`,
      'HTTP 429, Retry-After set',
      statuses.join('; '),
      ok,
    ),
  );
});
