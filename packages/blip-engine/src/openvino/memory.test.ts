import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fixtureModel } from '../../test/openvino-fixtures.js';
import { Core } from './core.js';
import { liveHandles } from './handle.js';
import { Tensor } from './tensor.js';

const WARMUP = 3_000;
const RUNS = 10_000;
/** Each step's input is 16+ KiB and its outputs are reallocated (the shape changes), so leaking either would grow
 * RSS by hundreds of MiB over the run; V8 sizing its heap up accounts for the rest of this bound. */
const MAX_GROWTH_MB = 32;
const BATCH = 8;
const SEQ = 128;
const YIELD_EVERY = 100;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Resident set size in MiB after full collections (so FinalizationRegistry callbacks had their chance). */
async function settledRssMb(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
  return process.memoryUsage().rss / 2 ** 20;
}

test(`${RUNS} infers leave resident memory and native handles flat`, async () => {
  const core = new Core();
  const compiled = core.compileModelSync(fixtureModel('linear'), 'CPU', {
    INFERENCE_PRECISION_HINT: 'f32',
    NUM_STREAMS: 1,
  });
  const request = compiled.createInferRequest();
  let checksum = 0;
  const step = (i: number) => {
    // A fresh input each time (half disposed by hand, half left to the FinalizationRegistry), a changing shape
    // (outputs get reallocated) and a read of every output: the pattern of a decoder loop.
    const seq = SEQ + (i % 3);
    const x = new Tensor('f32', [BATCH, seq, 4], new Float32Array(BATCH * seq * 4).fill(i % 7));
    const out = request.infer({ x });
    checksum += (out.y?.dataOf(Float32Array)[0] ?? 0) + (out.x_sum?.dataOf(Float32Array)[0] ?? 0);
    if (i % 2 === 0) x.dispose();
  };
  // Yield every YIELD_EVERY steps as an async decoder loop does: FinalizationRegistry callbacks only run when
  // the event loop turns, so a long synchronous loop would hold every undisposed tensor until it ends.
  const run = async (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      step(i);
      if (i % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
    }
  };
  await run(0, WARMUP);
  const rssBefore = await settledRssMb();
  const handlesBefore = liveHandles();
  const start = performance.now();
  await run(WARMUP, WARMUP + RUNS);
  const perInferUs = ((performance.now() - start) * 1000) / RUNS;
  const rssAfter = await settledRssMb();
  const handlesAfter = liveHandles();
  console.log(
    `RSS after ${WARMUP} warm-up infers: ${rssBefore.toFixed(1)} MiB; after ${RUNS} more: ${rssAfter.toFixed(1)} MiB ` +
      `(growth ${(rssAfter - rssBefore).toFixed(1)} MiB); live native handles ${handlesBefore} -> ${handlesAfter}; ` +
      `${perInferUs.toFixed(1)} µs per step`,
  );
  assert.ok(Number.isFinite(checksum));
  assert.ok(rssAfter - rssBefore < MAX_GROWTH_MB, `RSS grew ${(rssAfter - rssBefore).toFixed(1)} MiB`);
  assert.ok(handlesAfter <= handlesBefore + 4, `native handles leaked: ${handlesBefore} -> ${handlesAfter}`);
  request.dispose();
  compiled.dispose();
  core.dispose();
});
