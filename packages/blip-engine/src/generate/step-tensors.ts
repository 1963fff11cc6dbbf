// Small tensors every decoder step needs, shared by the solo step (decoder-step.ts) and the batched one
// (step-batch.ts): all-ones masks made once and shared read-only, and the last position's logits.
import { Tensor } from '../openvino/index.js';

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
