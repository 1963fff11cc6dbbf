// The one place that turns a decoder call into tensors: input ids, the self-attention mask, the cache and the
// cross-attention K/V, all bound by name; back come the last position's logits and the grown cache.
//
// A generation holds two infer requests and alternates between them, so one step's present_* outputs are
// bound as the next step's past_* inputs as they are: no copy in JS (OpenVINO's CPU plugin may reuse a
// request's output memory on its next run, so a request never reads its own outputs). The cross K/V, which
// never change, are bound once per generation; the ids tensor is reused and the all-ones masks are shared,
// so a step allocates no tensor data.

import { PARTS } from '../model/parts.js';
import type { InferRequest } from '../openvino/index.js';
import { Tensor } from '../openvino/index.js';
import { type PartRunner, viewF32 } from '../runtime/part-runner.js';
import type { DecoderStep } from './decode-loop.js';
import { type CacheTensor, cacheFromPresent, releaseCache } from './kv-cache.js';

/** The decoder's tensor names, from the parts table. */
const PORTS = PARTS.text_decoder;
/** Counts decoder runs (EngineStats.decoderSteps) and lets a benchmark recompute cross K/V each step. */
export interface StepHooks {
  onStep?: () => void;
  /** Called before each step; returns the cross K/V to use (the benchmark's "recompute every step" mode). */
  refreshCrossKv?: () => Promise<Map<string, CacheTensor>>;
}

/** A DecoderStep over two held `requests` of `decoder`, cross-attending with `crossKv` (batch = rows). */
export function decoderStep(
  decoder: PartRunner,
  requests: readonly [InferRequest, InferRequest],
  crossKv: Map<string, CacheTensor>,
  hooks: StepHooks = {},
): DecoderStep {
  const cross = wrapF32(crossKv);
  for (const request of requests) bindAll(request, cross);
  const rows = cross[0]?.[1].shape[0] ?? 1;
  const stepIds = new BigInt64Array(rows); // [rows, 1]: every step after the prefill writes its tokens here
  const stepIdsTensor = new Tensor('i64', [rows, 1], stepIds);
  let turn = 0;
  return async (inputIds, cache) => {
    const request = requests[turn] as InferRequest;
    turn = 1 - turn;
    const length = inputIds[0]?.length ?? 0;
    const seen = cache.length + length;
    const ids = length === 1 && inputIds.length === rows ? stepIdsTensor : idsTensor(inputIds);
    if (ids === stepIdsTensor)
      for (let row = 0; row < rows; row++) stepIds[row] = BigInt(inputIds[row]?.[0] ?? 0);
    const refreshed = hooks.refreshCrossKv ? wrapF32(await hooks.refreshCrossKv()) : null;
    try {
      if (refreshed) bindAll(request, refreshed);
      request.setTensor(PORTS.inputs.ids, ids);
      request.setTensor(PORTS.inputs.mask, onesMask(inputIds.length, seen));
      for (const [name, tensor] of cache.tensors) request.setTensor(name, tensor);
      const outputs = await decoder.infer(request);
      hooks.onStep?.();
      const logits = lastPosition(viewF32(outputs, PORTS.outputs.logits));
      return { logits: logits.data, vocab: logits.vocab, cache: cacheFromPresent(outputs, seen) };
    } finally {
      // Free what this step made now rather than when the GC gets to it (the request keeps what it still reads).
      if (ids !== stepIdsTensor) ids.dispose();
      releaseCache(cache);
      for (const [, tensor] of refreshed ?? []) tensor.dispose();
    }
  };
}

function bindAll(request: InferRequest, tensors: readonly (readonly [string, Tensor])[]): void {
  for (const [name, tensor] of tensors) request.setTensor(name, tensor);
}

/** Zero-copy f32 tensors over cached arrays, by input name. */
function wrapF32(tensors: Map<string, CacheTensor>): [string, Tensor][] {
  return [...tensors].map(([name, tensor]) => [name, new Tensor('f32', tensor.shape, tensor.data)]);
}

function idsTensor(inputIds: number[][]): Tensor {
  const length = inputIds[0]?.length ?? 0;
  return new Tensor('i64', [inputIds.length, length], BigInt64Array.from(inputIds.flat(), BigInt));
}

/** All-ones attention masks [rows, seen] are the same for every generation: made once, shared read-only. */
const masks = new Map<string, Tensor>();
const MAX_SHARED_MASK = 4096; // elements; longer masks (never with today's limits) are made per step

function onesMask(rows: number, seen: number): Tensor {
  const key = `${rows}x${seen}`;
  let mask = masks.get(key);
  if (!mask) {
    mask = new Tensor('i64', [rows, seen], new BigInt64Array(rows * seen).fill(1n));
    if (rows * seen <= MAX_SHARED_MASK) masks.set(key, mask);
  }
  return mask;
}

/** logits [rows, L, V] → the last position of each row, [rows, V]: a view when L = 1 or one row, else a copy. */
function lastPosition(logits: { data: Float32Array; shape: number[] }): {
  data: Float32Array;
  vocab: number;
} {
  const [rows = 0, length = 0, vocab = 0] = logits.shape;
  const all = logits.data;
  if (length === 1) return { data: all, vocab };
  if (rows === 1) return { data: all.subarray((length - 1) * vocab, length * vocab), vocab };
  const data = new Float32Array(rows * vocab);
  for (let row = 0; row < rows; row++) {
    const start = (row * length + length - 1) * vocab;
    data.set(all.subarray(start, start + vocab), row * vocab);
  }
  return { data, vocab };
}
