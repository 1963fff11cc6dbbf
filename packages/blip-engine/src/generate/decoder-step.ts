// One generation's decoder steps, run alone (batching off, or a folder exported before the decoder took
// positions and a cross-attention mask): input ids, the self-attention mask, the cache and the cross-attention
// K/V, all bound by name; back come the last position's logits. The step owns the generation's cache.
//
// A generation holds two infer requests and alternates between them, so one step's present_* outputs are
// bound as the next step's past_* inputs as they are: no copy in JS (OpenVINO's CPU plugin may reuse a
// request's output memory on its next run, so a request never reads its own outputs). The cross K/V, which
// never change, are bound once per generation; the ids tensor is reused and the all-ones masks are shared,
// so a step allocates no tensor data. Only a beam reorder copies (the cache rows gathered into the beams' order).

import { PARTS } from '../model/parts.js';
import type { InferRequest } from '../openvino/index.js';
import { Tensor } from '../openvino/index.js';
import { type PartRunner, viewF32 } from '../runtime/part-runner.js';
import type { DecoderStep } from './decode-loop.js';
import {
  type CacheTensor,
  cacheFromPresent,
  cacheTensor,
  emptyCache,
  type InputMeta,
  type KvCache,
  releaseCache,
  reorderCache,
} from './kv-cache.js';
import { bindStep, lastPosition, onesMask } from './step-tensors.js';

/** The decoder's tensor names, from the parts table. */
const PORTS = PARTS.text_decoder;
const BATCH_PORTS = PARTS.text_decoder.batchInputs;

/** Counts decoder runs (EngineStats.decoderSteps) and lets a benchmark recompute cross K/V each step. */
export interface StepHooks {
  onStep?: () => void;
  /** Called before each step; returns the cross K/V to use (the benchmark's "recompute every step" mode). */
  refreshCrossKv?: () => Promise<Map<string, CacheTensor>>;
}

/** What the first (empty) cache is made from, and whether the graph takes positions and a cross mask. */
export interface StepSetup {
  decoderInputs: readonly InputMeta[];
  heads: number;
  headSize: number;
  /** The graph has the batch inputs (position_ids, encoder_attention_mask): they are fed as an unpadded row. */
  batchInputs: boolean;
}

/** A DecoderStep over two held `requests` of `decoder`, cross-attending with `crossKv` (batch = rows). */
export function decoderStep(
  decoder: PartRunner,
  requests: readonly [InferRequest, InferRequest],
  crossKv: Map<string, CacheTensor>,
  setup: StepSetup,
  hooks: StepHooks = {},
): DecoderStep {
  const cross = wrap(crossKv);
  const rows = cross[0]?.[1].shape[0] ?? 1;
  if (setup.batchInputs) cross.push([BATCH_PORTS.crossMask, onesMask(rows, cross[0]?.[1].shape[2] ?? 0)]);
  for (const request of requests) bindAll(request, cross);
  const stepIds = new BigInt64Array(rows); // [rows, 1]: every step after the prefill writes its tokens here
  const stepIdsTensor = new Tensor('i64', [rows, 1], stepIds);
  const stepPositions = new BigInt64Array(rows);
  const stepPositionsTensor = new Tensor('i64', [rows, 1], stepPositions);
  let cache: KvCache = emptyCache(setup.decoderInputs, rows, setup);
  let turn = 0;
  return async (inputIds, beamIdx) => {
    const request = requests[turn] as InferRequest;
    turn = 1 - turn;
    if (beamIdx) {
      const gathered = reorderCache(cache, beamIdx);
      releaseCache(cache);
      cache = gathered;
    }
    const length = inputIds[0]?.length ?? 0;
    const seen = cache.length + length;
    const single = length === 1 && inputIds.length === rows;
    const ids = single ? stepIdsTensor : idsTensor(inputIds);
    if (single) for (let row = 0; row < rows; row++) stepIds[row] = BigInt(inputIds[row]?.[0] ?? 0);
    const positions = setup.batchInputs
      ? positionsTensor(single, stepPositions, cache.length, rows, length)
      : null;
    const refreshed = hooks.refreshCrossKv ? wrap(await hooks.refreshCrossKv()) : null;
    const past = cache;
    try {
      bindStep(request, {
        ids,
        mask: onesMask(inputIds.length, seen),
        cache: past,
        positions: positions === 'step' ? stepPositionsTensor : positions,
        cross: refreshed ?? undefined,
      });
      const outputs = await decoder.infer(request);
      hooks.onStep?.();
      cache = cacheFromPresent(outputs, seen);
      const logits = lastPosition(viewF32(outputs, PORTS.outputs.logits));
      return { logits: logits.data, vocab: logits.vocab };
    } finally {
      // Free what this step made now rather than when the GC gets to it (the request keeps what it still reads).
      if (ids !== stepIdsTensor) ids.dispose();
      if (positions && positions !== 'step') positions.dispose();
      releaseCache(past);
      for (const [, tensor] of refreshed ?? []) tensor.dispose();
    }
  };
}

/** Positions P…P+L−1 of every row: the reused [rows, 1] tensor for a one-token step ('step'), else a new one. */
function positionsTensor(
  single: boolean,
  step: BigInt64Array,
  past: number,
  rows: number,
  length: number,
): Tensor | 'step' {
  if (single) {
    step.fill(BigInt(past));
    return 'step';
  }
  const data = new BigInt64Array(rows * length);
  for (let i = 0; i < data.length; i++) data[i] = BigInt(past + (i % length));
  return new Tensor('i64', [rows, length], data);
}

function bindAll(request: InferRequest, tensors: readonly (readonly [string, Tensor])[]): void {
  for (const [name, tensor] of tensors) request.setTensor(name, tensor);
}

/** Zero-copy tensors (f32 or bf16) over cached arrays, by input name. */
function wrap(tensors: Map<string, CacheTensor>): [string, Tensor][] {
  return [...tensors].map(([name, tensor]) => [name, cacheTensor(tensor)]);
}

function idsTensor(inputIds: number[][]): Tensor {
  const length = inputIds[0]?.length ?? 0;
  return new Tensor('i64', [inputIds.length, length], BigInt64Array.from(inputIds.flat(), BigInt));
}
