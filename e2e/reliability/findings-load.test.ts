// Audit findings of issue 16 about load, one case each (see e2e/known-open.ts for those not fixed yet):
// #16.1 one operation must not fill the queue, #16.2 an upload burst must not multiply memory,
// #16.9b OVERLOADED is HTTP 429 with Retry-After.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { peakRssMiB, resetPeakRss } from '@blip/testing';
import sharp from 'sharp';
import { startStandInServer } from '../../apps/api/src/testing/harness.js';
import { type Api, rssMiB, startApi } from './api.js';
import { ALICE, BOB, gql, outcome, pngOf, postJson, upload } from './client.js';
import { answerOperation } from './findings.js';
import { recordFigure, recordFinding } from './results.js';
import { allTurns } from './turns.js';

const MAX_QUEUE = 2;
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
  // Deterministic: the real API server started in this process on the engine stand-in, whose generation the test
  // holds. With 1 running and MAX_QUEUE waiting, the next caller must be refused, whatever the machine's speed.
  const server = await startStandInServer({ concurrency: 1, maxQueue: MAX_QUEUE });
  const { engine } = server;
  const endpoint = `${server.url}/graphql`;
  try {
    const id = (await upload(endpoint, await pngOf(40, 30))).data?.uploadImage.id as string;
    const ask = (q: string) =>
      fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-owner-key': ALICE },
        body: JSON.stringify({
          query: 'mutation ($i: ID!, $q: String!) { answer(imageId: $i, question: $q) { text } }',
          variables: { i: id, q },
        }),
      });
    const held = engine.hold();
    const admitted = [ask('held?')];
    await held.started;
    for (let k = 0; k < MAX_QUEUE; k++) admitted.push(ask(`waiting ${k}?`));
    while (engine.queueDepth().waiting < MAX_QUEUE) await sleep(5); // the condition, not a time
    const res = await ask('one too many?');
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    const code = body.errors?.[0]?.extensions?.code;
    const retryAfter = res.headers.get('retry-after');
    held.release();
    const served = await Promise.all(admitted.map((r) => r.then((x) => x.status)));
    recordFigure('load', '#16.9b answers held/waiting before the refused one (queue 2)', 1 + MAX_QUEUE);
    assert.deepEqual(served, [200, 200, 200]);
    assert.ok(
      recordFinding(
        '16.9b',
        `OVERLOADED over HTTP (1 held + ${MAX_QUEUE} waiting, then one more)`,
        'HTTP 429, code OVERLOADED, Retry-After set',
        `HTTP ${res.status}, code ${code ?? '-'}, Retry-After ${retryAfter ?? 'absent'}`,
        res.status === 429 && code === 'OVERLOADED' && retryAfter !== null,
      ),
    );
  } finally {
    await server.close();
  }
});
