// Overload from a second process: a burst well past the queue limit is served up to the limit and refused
// OVERLOADED beyond it (nothing else), then the server answers normally, its memory is back near the
// baseline, and no turn is left PENDING.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { type Api, rssMiB, startApi } from './api.js';
import { ALICE, gql, outcome, pngOf, upload } from './client.js';
import { recordCase, recordFigure } from './results.js';
import { allTurns, byStatus } from './turns.js';

const MAX_QUEUE = 4;
/** Requests in the burst: 20× what the server may hold (1 running + MAX_QUEUE waiting). */
const BURST = 100;
/** Answers before the baseline is read, so lazy allocations (caches, JIT) are already made. */
const WARMUP = 30;
/** "Back near baseline": RSS after may exceed it by this factor plus this many MiB (V8 keeps some heap). */
const RSS_FACTOR = 1.25;
const RSS_SLACK_MIB = 40;
const ASK =
  'mutation ($i: ID!, $q: String!) { answer(imageId: $i, question: $q, options: { maxNewTokens: 6 }) { text } }';
let api: Api;
let imageId: string;

before(async () => {
  api = await startApi({ env: { BLIP_MAX_QUEUE: String(MAX_QUEUE), BLIP_CONCURRENCY: '1' } });
  imageId = (await upload(api.graphql, await pngOf(64, 48))).data?.uploadImage.id as string;
});
after(() => api.stop());

/** Runs load-client.ts in its own process and returns its report line. */
function burst(count: number): Promise<{ count: number; counts: Record<string, number>; ms: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(import.meta.dirname, 'load-client.ts'),
      api.graphql,
      imageId,
      String(count),
      ALICE,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
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

test(`a burst of ${BURST} from a second process: served up to the queue, the rest OVERLOADED; then all is normal`, async () => {
  for (let k = 0; k < WARMUP; k++) await gql(api.graphql, ASK, { i: imageId, q: `warm ${k}?` });
  const before = rssMiB(api.pid);
  const report = await burst(BURST);
  const served = report.counts.OK ?? 0;
  const refused = report.counts.OVERLOADED ?? 0;
  recordFigure('load', 'burst size (second process, all at once)', BURST, 'requests');
  recordFigure('load', 'served', served, 'requests');
  recordFigure('load', 'refused OVERLOADED', refused, 'requests');
  recordFigure('load', 'burst wall time', report.ms, 'ms');
  const other = Object.entries(report.counts).filter(([k]) => k !== 'OK' && k !== 'OVERLOADED');
  assert.ok(
    recordCase(
      'load',
      `burst of ${BURST} with queue ${MAX_QUEUE}, concurrency 1`,
      'only OK or OVERLOADED',
      other.length ? JSON.stringify(other) : 'only OK or OVERLOADED',
    ),
  );
  assert.ok(served >= 1 + MAX_QUEUE && refused >= 1, `served ${served}, refused ${refused}`);
  const normal = await gql(api.graphql, ASK, { i: imageId, q: 'after the burst?' });
  assert.ok(recordCase('load', 'an answer right after the burst', 'OK', outcome(normal)));
  for (let k = 0; k < WARMUP; k++) await gql(api.graphql, ASK, { i: imageId, q: `settle ${k}?` });
  const afterRss = rssMiB(api.pid);
  recordFigure('load', 'RSS before burst', before, 'MiB');
  recordFigure('load', 'RSS after burst (+30 answers)', afterRss, 'MiB');
  const limit = before * RSS_FACTOR + RSS_SLACK_MIB;
  assert.ok(
    recordCase(
      'load',
      'RSS back near baseline',
      `≤ ${limit.toFixed(0)} MiB`,
      `${afterRss} MiB`,
      afterRss <= limit,
    ),
  );
  const status = byStatus((await allTurns(api.graphql, ALICE)).turns);
  assert.ok(recordCase('load', 'turns left PENDING after the burst', '0', String(status.PENDING ?? 0)));
  recordFigure('load', 'stored turns by status', JSON.stringify(status));
});
