// Overload from a second process: a burst well past the queue limit is served up to the limit and refused
// OVERLOADED beyond it (nothing else, nothing stored for the refused), then the server answers normally, its
// retained memory is back near the baseline, and no turn is left PENDING.
// Deterministic: the real API runs in this process on the engine stand-in, and the test holds the running
// generation while the queue is full, so exactly 1 + MAX_QUEUE are admitted whatever the machine's speed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { StandInEngine } from '@blip/engine/testing';
import { startStandInServer, type TestServer } from '../../apps/api/src/testing/harness.js';
import { ALICE, gql, outcome, pngOf, upload } from './client.js';
import { recordCase, recordFigure } from './results.js';
import { allTurns, byStatus } from './turns.js';

const MAX_QUEUE = 4;
/** Requests in the burst: 20× what the server may hold (1 running + MAX_QUEUE waiting). */
const BURST = 100;
const REFUSED = BURST - 1 - MAX_QUEUE;
/** Answers before the baseline is read, so lazy allocations (caches, JIT, SQLite pages) are already made. */
const WARMUP = 30;
/** "Back near baseline": V8 heap in use after full collections may grow by at most this much. Retained heap
 * after gc moves by well under 1 MiB between runs of the same operations; one refused request's context (parsed
 * operation, yoga context, response) is tens of KiB, so keeping even 100 KiB of each of the REFUSED would fail. */
const HEAP_GROWTH_LIMIT_MIB = 8;
const ASK =
  'mutation ($i: ID!, $q: String!) { answer(imageId: $i, question: $q, options: { maxNewTokens: 6 }) { text } }';
let server: TestServer & { engine: StandInEngine };
let endpoint: string;
let imageId: string;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** V8 heap in use after full collections, MiB (RSS also counts freed pages malloc keeps: not a leak measure). */
async function settledHeapMiB(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return Math.round(process.memoryUsage().heapUsed / 104857.6) / 10;
}

before(async () => {
  server = await startStandInServer({ concurrency: 1, maxQueue: MAX_QUEUE });
  endpoint = `${server.url}/graphql`;
  imageId = (await upload(endpoint, await pngOf(64, 48))).data?.uploadImage.id as string;
});
after(() => server.close());

/** Runs load-client.ts in its own process and returns its report line. */
function burst(count: number): Promise<{ count: number; counts: Record<string, number>; ms: number }> {
  const client = resolve(import.meta.dirname, 'load-client.ts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', client, endpoint, imageId, String(count), ALICE],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((res, rej) =>
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"event":"burst"'));
      if (code !== 0 || !line) rej(new Error(`load client exited ${code}: ${out}`));
      else res(JSON.parse(line));
    }),
  );
}

/** Fills the server: one generation held running and MAX_QUEUE waiting; resolves their outcomes later. */
async function fill(): Promise<{ admitted: Promise<string>[]; release: () => void }> {
  const held = server.engine.hold();
  const ask = (q: string) => gql(endpoint, ASK, { i: imageId, q }).then(outcome);
  const admitted = [ask('held?')];
  await held.started;
  for (let k = 0; k < MAX_QUEUE; k++) admitted.push(ask(`waiting ${k}?`));
  while (server.engine.queueDepth().waiting < MAX_QUEUE) await sleep(5); // the condition, not a time
  return { admitted, release: () => held.release() };
}

test(`a burst of ${BURST}: ${1 + MAX_QUEUE} served (1 running + queue ${MAX_QUEUE}), ${REFUSED} OVERLOADED from a second process, nothing stored for them; then all is normal`, async () => {
  for (let k = 0; k < WARMUP; k++) await gql(endpoint, ASK, { i: imageId, q: `warm ${k}?` });
  const turnsBefore = (await allTurns(endpoint, ALICE)).turns.length;
  const heapBefore = await settledHeapMiB();
  const rssBefore = Math.round(process.memoryUsage().rss / 2 ** 20);
  const { admitted, release } = await fill();
  const report = await burst(REFUSED);
  release();
  const served = (await Promise.all(admitted)).filter((o) => o === 'OK').length;
  const refused = report.counts.OVERLOADED ?? 0;
  recordFigure('load', 'burst size (1 held + queue, then the rest from a second process)', BURST, 'requests');
  recordFigure('load', 'served', served, 'requests');
  recordFigure('load', 'refused OVERLOADED', refused, 'requests');
  recordFigure('load', 'refusal burst wall time (second process)', report.ms, 'ms');
  assert.ok(
    recordCase(
      'load',
      `burst of ${BURST} with queue ${MAX_QUEUE}, concurrency 1, the running one held`,
      `${1 + MAX_QUEUE} OK, ${REFUSED} OVERLOADED`,
      `${served} OK, ${JSON.stringify(report.counts)}`,
      served === 1 + MAX_QUEUE && refused === REFUSED && report.count === REFUSED,
    ),
  );
  const normal = await gql(endpoint, ASK, { i: imageId, q: 'after the burst?' });
  assert.ok(recordCase('load', 'an answer right after the burst', 'OK', outcome(normal)));
  const { turns } = await allTurns(endpoint, ALICE);
  assert.ok(
    recordCase(
      'load',
      'turns stored by the burst and the answer after it',
      String(1 + MAX_QUEUE + 1),
      String(turns.length - turnsBefore),
    ),
  );
  const status = byStatus(turns);
  assert.ok(recordCase('load', 'turns left PENDING after the burst', '0', String(status.PENDING ?? 0)));
  recordFigure('load', 'stored turns by status', JSON.stringify(status));
  for (let k = 0; k < WARMUP; k++) await gql(endpoint, ASK, { i: imageId, q: `settle ${k}?` });
  const heapAfter = await settledHeapMiB();
  recordFigure(
    'load',
    'RSS before / after burst (+30 answers), API and test in one process',
    `${rssBefore} / ${Math.round(process.memoryUsage().rss / 2 ** 20)}`,
    'MiB',
  );
  recordFigure(
    'load',
    'JS heap after gc before / after burst (+30 answers)',
    `${heapBefore} / ${heapAfter}`,
    'MiB',
  );
  const growth = Math.round((heapAfter - heapBefore) * 10) / 10;
  assert.ok(
    recordCase(
      'load',
      'retained JS heap back near baseline (after gc)',
      `growth ≤ ${HEAP_GROWTH_LIMIT_MIB} MiB`,
      `${growth} MiB`,
      growth <= HEAP_GROWTH_LIMIT_MIB,
    ),
  );
});
