import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixtureModel } from '../../test/openvino-fixtures.js';
import { Core } from './core.js';
import { OpenVinoError } from './errors.js';
import { Tensor } from './tensor.js';

/** First batch for the heavy fixture (12 matmuls of [B,512]x[512,512], batch dynamic): about 15 ms a call on 2 fast cores. */
const HEAVY_BATCH = 384;
/** The batch doubles until one synchronous call lasts this long, so both calls outlast many ticks on any CPU. */
const MIN_CALL_MS = 40;
const MAX_BATCH = HEAVY_BATCH * 64;
const TICK_MS = 2;
/** Ticks the loop must manage while both calls run (sync control: 0). */
const MIN_TICKS = 3;

/** A deterministic heavy-model input. */
function heavyInput(seed: number, batch = HEAVY_BATCH): Tensor {
  const data = Float32Array.from({ length: batch * 512 }, (_, i) => Math.sin(i * 0.37 + seed));
  return new Tensor('f32', [batch, 512], data);
}

/** The smallest doubling of HEAVY_BATCH whose synchronous call on `request` lasts MIN_CALL_MS on this machine. */
function heavyEnoughBatch(request: { infer(inputs: Record<string, Tensor>): unknown }): number {
  let batch = HEAVY_BATCH;
  for (; batch < MAX_BATCH; batch *= 2) {
    const input = { x: heavyInput(0, batch) };
    request.infer(input); // the first call at a new shape also reshapes: time the second
    const start = performance.now();
    request.infer(input);
    if (performance.now() - start >= MIN_CALL_MS) break;
  }
  return batch;
}

/** Run `work` while a setInterval counts ticks; returns the tick count and the wall time. */
async function countTicks<T>(work: () => Promise<T> | T): Promise<{ ticks: number; ms: number; result: T }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, TICK_MS);
  const start = performance.now();
  try {
    const result = await work();
    return { ticks, ms: performance.now() - start, result };
  } finally {
    clearInterval(timer);
  }
}

describe('inferAsync runs off the JS thread', () => {
  const core = new Core();
  const heavy = core.compileModelSync(fixtureModel('heavy'), 'CPU', {
    INFERENCE_PRECISION_HINT: 'f32',
    PERFORMANCE_HINT: 'THROUGHPUT',
    NUM_STREAMS: 2,
    INFERENCE_NUM_THREADS: 2,
  });

  test('two calls in flight: the event loop keeps ticking, results equal the synchronous ones', async () => {
    const [a, b] = [heavy.createInferRequest(), heavy.createInferRequest()];
    const batch = heavyEnoughBatch(a);
    const [inA, inB] = [heavyInput(1, batch), heavyInput(2, batch)];
    const wantA = a.infer({ x: inA }).y?.data.slice();
    const sync = await countTicks(() => b.infer({ x: inB }).y?.data.slice());
    const wantB = sync.result;
    const both = await countTicks(() => Promise.all([a.inferAsync({ x: inA }), b.inferAsync({ x: inB })]));
    console.log(
      `batch ${batch}: sync infer ${sync.ms.toFixed(1)} ms, ${sync.ticks} ticks; two inferAsync ${both.ms.toFixed(1)} ms, ${both.ticks} ticks`,
    );
    assert.equal(sync.ticks, 0, 'control: a synchronous infer blocks the loop (the tick counter can fail)');
    assert.ok(
      both.ms >= 20,
      `the model must take tens of ms to prove anything (took ${both.ms.toFixed(1)} ms)`,
    );
    // The 2 cores are busy with the two inferences, so the timer fires late; any ticks at all beat the control's 0.
    assert.ok(both.ticks >= MIN_TICKS, `only ${both.ticks} ticks in ${both.ms.toFixed(1)} ms`);
    assert.deepEqual(both.result[0].y?.data, wantA);
    assert.deepEqual(both.result[1].y?.data, wantB);
  });

  test('a busy request refuses other calls; dispose while running frees it afterwards', async () => {
    const request = heavy.createInferRequest();
    const running = request.inferAsync({ x: heavyInput(3) });
    assert.throws(
      () => request.infer(),
      (e: unknown) => e instanceof OpenVinoError && e.status === 'REQUEST_BUSY',
    );
    assert.throws(() => request.setTensor('x', heavyInput(4)), /REQUEST_BUSY/);
    await assert.rejects(request.inferAsync(), /REQUEST_BUSY/);
    request.dispose();
    await assert.rejects(running, (e: unknown) => e instanceof OpenVinoError && e.status === 'DISPOSED');
    assert.throws(() => request.infer(), /DISPOSED/);
  });

  test('readModel and compileModel also run off the JS thread', async () => {
    const model = await core.readModel(fixtureModel('heavy'));
    const compiled = await core.compileModel(model, 'CPU', { INFERENCE_PRECISION_HINT: 'f32' });
    assert.equal(compiled.getProperty('INFERENCE_PRECISION_HINT'), 'f32');
    const out = await compiled.createInferRequest().inferAsync({ x: new Tensor('f32', [1, 512]) });
    assert.deepEqual(out.y?.shape, [1, 512]);
  });
});
