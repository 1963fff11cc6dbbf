// Per-infer overhead of our koffi binding vs OpenVINO's Python API, same tiny model, same settings
// (CPU, 1 stream, LATENCY, f32, 1 thread): median over RUNS timed runs of CALLS infers each.
// Also times the two ways to run off the JS thread: koffi's .async() on a worker (what inferAsync uses) and
// OpenVINO's own start_async + a koffi-registered completion callback (measured here only; see the report).
// Run: npx tsx packages/blip-engine/bench/binding.ts [--runs 7] [--calls 2000]
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import koffi from 'koffi';
import { Core, type InferRequest, Tensor } from '../src/openvino/index.js';
import { openvino } from '../src/openvino/native.js';
import { fixtureModel } from '../test/openvino-fixtures.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const PROPERTIES = {
  INFERENCE_PRECISION_HINT: 'f32',
  PERFORMANCE_HINT: 'LATENCY',
  NUM_STREAMS: 1,
  INFERENCE_NUM_THREADS: 1,
} as const;
const SHAPE = [2, 3, 4];
const WARMUP = 500;

/** Median over `runs` of the mean µs per call across `calls` calls (awaiting each call when it is async). */
async function medianUs(call: () => unknown, runs: number, calls: number): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await call();
  const perRun: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) await call();
    perRun.push(((performance.now() - start) * 1000) / calls);
  }
  perRun.sort((a, b) => a - b);
  return perRun[Math.floor(perRun.length / 2)] as number;
}

/** Median over `runs` for a synchronous call (no await in the loop, so no microtask cost is added). */
function medianUsSync(call: () => unknown, runs: number, calls: number): number {
  for (let i = 0; i < WARMUP; i++) call();
  const perRun: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) call();
    perRun.push(((performance.now() - start) * 1000) / calls);
  }
  perRun.sort((a, b) => a - b);
  return perRun[Math.floor(perRun.length / 2)] as number;
}

/** inferAsync's alternative: ov_infer_request_start_async with a koffi-registered callback. */
function callbackRunner(request: InferRequest): { run: () => Promise<void>; close: () => void } {
  const lib = koffi.load(openvino().path);
  const proto = koffi.proto('void ov_bench_callback(void *args)');
  koffi.struct('ov_bench_callback_t', { callback_func: koffi.pointer(proto), args: 'void *' });
  const setCallback = lib.func(
    'int ov_infer_request_set_callback(ov_infer_request_t *r, ov_bench_callback_t *cb)',
  );
  const startAsync = lib.func('int ov_infer_request_start_async(ov_infer_request_t *r)');
  let resolve: (() => void) | undefined;
  // Called on an OpenVINO thread; koffi relays it to the JS thread and blocks that OpenVINO thread meanwhile.
  const callback = koffi.register(() => resolve?.(), koffi.pointer(proto));
  if (setCallback(request.native, { callback_func: callback, args: null }) !== 0)
    throw new Error('set_callback failed');
  // koffi's relay does not keep Node alive; without a ref'd handle the process could exit mid-inference.
  const keepAlive = setInterval(() => {}, 1 << 30);
  return {
    run: () =>
      new Promise<void>((r, reject) => {
        resolve = r;
        if (startAsync(request.native) !== 0) reject(new Error('start_async failed'));
      }),
    close: () => {
      clearInterval(keepAlive);
      koffi.unregister(callback);
    },
  };
}

/** Every TypeScript-side figure, µs per infer. */
async function measureTs(runs: number, calls: number): Promise<Record<string, number>> {
  const core = new Core();
  const compiled = core.compileModelSync(fixtureModel('linear'), 'CPU', PROPERTIES);
  const request = compiled.createInferRequest();
  const x = new Tensor(
    'f32',
    SHAPE,
    Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)),
  );
  const ov = openvino();
  const results: Record<string, number> = {};
  results.ts_infer_us = medianUsSync(() => request.infer({ x }).y?.data[0], runs, calls);
  results.ts_bare_infer_us = medianUsSync(() => ov.ov_infer_request_infer(request.native), runs, calls);
  results.ts_infer_async_us = await medianUs(() => request.inferAsync({ x }), runs, calls);
  const other = compiled.createInferRequest();
  other.setTensor('x', x);
  const cb = callbackRunner(other);
  results.ts_callback_async_us = await medianUs(cb.run, runs, calls);
  cb.close();
  return results;
}

/** The Python baseline, run in the project venv. */
function measurePython(runs: number, calls: number): Record<string, number | string> {
  const out = execFileSync(
    join(ROOT, 'scripts/py'),
    [
      join(ROOT, 'models/bench/binding_overhead.py'),
      '--json',
      '--runs',
      String(runs),
      '--calls',
      String(calls),
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(out.trim().split('\n').at(-1) as string);
}

/** Run both sides and print one table plus the ratio the goal is about (TS infer vs Python infer). */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '7' }, calls: { type: 'string', default: '2000' } },
  });
  const runs = Number(values.runs);
  const calls = Number(values.calls);
  const ts = await measureTs(runs, calls);
  const py = measurePython(runs, calls);
  const ratio = (ts.ts_infer_us as number) / (py.python_infer_us as number);
  const report = { ...ts, ...py, ratio_ts_over_python: ratio };
  for (const [k, v] of Object.entries(report))
    console.log(`${k.padStart(24)}: ${typeof v === 'number' ? v.toFixed(2) : v}`);
  console.log(JSON.stringify(report));
}

await main();
