// What every decoder run shares, whether alone (decoder-step.ts), batched (step-batch.ts) or a prompt before
// joining a batch (prompt-run.ts): binding its inputs by name, all-ones masks made once and shared read-only,
// and the last position's logits.
import { PARTS } from '../model/parts.js';
import { type InferRequest, Tensor } from '../openvino/index.js';
import type { KvCache } from './kv-cache.js';

const PORTS = PARTS.text_decoder.inputs;
const BATCH = PARTS.text_decoder.batchInputs;

/** One decoder run's inputs; `positions` only for graphs with the batch inputs, `cross` only when (re)bound. */
export interface StepInputs {
  ids: Tensor;
  /** Self-attention mask [rows, past + new]. */
  mask: Tensor;
  cache: KvCache;
  positions?: Tensor | null;
  /** Cross K/V by input name, and the cross-attention mask (batch inputs) under its own name. */
  cross?: Iterable<readonly [string, Tensor]>;
}

/** Binds `inputs` to `request` by name (the request reads them on its next run; nothing is copied). */
export function bindStep(request: InferRequest, inputs: StepInputs): void {
  if (inputs.cross) for (const [name, tensor] of inputs.cross) request.setTensor(name, tensor);
  request.setTensor(PORTS.ids, inputs.ids);
  request.setTensor(PORTS.mask, inputs.mask);
  if (inputs.positions) request.setTensor(BATCH.positions, inputs.positions);
  for (const [name, tensor] of inputs.cache.tensors) request.setTensor(name, tensor);
}

/** All-ones masks [rows, length] are the same for every generation: made once, shared read-only. */
const masks = new Map<string, Tensor>();
const MAX_SHARED_MASK = 4096; // elements; longer masks (never with today's limits) are made per call

export function onesMask(rows: number, length: number): Tensor {
  const key = `${rows}x${length}`;
  let mask = masks.get(key);
  if (!mask) {
    mask = new Tensor('i64', [rows, length], new BigInt64Array(rows * length).fill(1n));
    if (rows * length <= MAX_SHARED_MASK) masks.set(key, mask);
  }
  return mask;
}

/** logits [rows, L, V] → the last position of each row, [rows, V]: a view when L = 1 or one row, else a copy. */
export function lastPosition(logits: { data: Float32Array; shape: number[] }): {
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
