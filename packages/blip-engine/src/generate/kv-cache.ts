// The decoder's self-attention KV cache as an explicit value, and the only two places that know its tensor
// names: `emptyCache` (first step, from the compiled decoder's input metadata) and `cacheFromPresent`
// (present_* outputs of a step become the past_* inputs of the next). Everything else sees a KvCache.
import { Tensor } from '../openvino/index.js';

/**
 * Cache values: f32, or bf16 as raw bits (Uint16Array) — the cross K/V when the decoder computes in bf16
 * (runtime/compile-parts.ts: the cross-K/V part then gives them as bf16 and the decoder takes them so).
 */
export type CacheData = Float32Array | Uint16Array;

/** One tensor in JS memory, row-major [batch, heads, length, headSize] (cross K/V, gathered beams). */
export interface CacheTensor {
  data: CacheData;
  shape: [number, number, number, number];
}

/** A zero-copy Tensor over a cache tensor, bf16 when its data holds raw bf16 bits. */
export function cacheTensor(tensor: CacheTensor): Tensor {
  return new Tensor(tensor.data instanceof Uint16Array ? 'bf16' : 'f32', tensor.shape, tensor.data);
}

/**
 * The self-attention cache: past input name ('past_key.0', …) → tensor [rows, heads, length, headSize], all
 * of one length. Either our own tensors (`owned`: the empty first cache, a beam reorder), or the present_*
 * outputs of the step that made them, borrowed from its infer request: no copy, valid until that request
 * runs again (the decoder step alternates between two requests, so that is after the next step).
 */
export interface KvCache {
  /** Tokens already seen (P). */
  length: number;
  tensors: ReadonlyMap<string, Tensor>;
  owned: boolean;
}

/** What `emptyCache` needs to know of a decoder input (the binding's Port has these fields). */
export interface InputMeta {
  /** Every tensor name of the input (the binding's Port.names). */
  names: readonly string[];
  partialShape: { dims: number[] };
  /** 'f32', or 'bf16' when the decoder computes in bf16 (runtime/compile-parts.ts); absent means f32. */
  elementType?: string;
}

/** Whether the decoder's past_* inputs (and present_* outputs) hold bf16. */
export function cacheInBf16(inputs: readonly InputMeta[]): boolean {
  return inputs.some((input) => input.names.some((n) => n.startsWith(PAST)) && input.elementType === 'bf16');
}

const PAST = 'past_';
const PRESENT = 'present_';

/**
 * The first step's cache: for every `past_*` input of the compiled decoder, a [batch, heads, 0, headSize]
 * tensor. Heads and head size come from the input's declared shape; `fallback` (the manifest's) fills any
 * dimension the graph left dynamic.
 */
export function emptyCache(
  inputs: readonly InputMeta[],
  batch: number,
  fallback: { heads: number; headSize: number },
): KvCache {
  const tensors = new Map<string, Tensor>();
  for (const input of inputs) {
    const name = input.names.find((n) => n.startsWith(PAST));
    if (name === undefined) continue;
    const dims = input.partialShape.dims;
    const heads = (dims[1] ?? -1) > 0 ? (dims[1] as number) : fallback.heads;
    const headSize = (dims[3] ?? -1) > 0 ? (dims[3] as number) : fallback.headSize;
    const empty = input.elementType === 'bf16' ? new Uint16Array(0) : new Float32Array(0);
    tensors.set(name, cacheTensor({ data: empty, shape: [batch, heads, 0, headSize] }));
  }
  return { length: 0, tensors, owned: true };
}

/** After a step: every `present_*` output becomes the next step's `past_*`, as is (borrowed, not copied). */
export function cacheFromPresent(outputs: Readonly<Record<string, Tensor>>, length: number): KvCache {
  const tensors = new Map<string, Tensor>();
  for (const [name, tensor] of Object.entries(outputs)) {
    if (name.startsWith(PRESENT)) tensors.set(PAST + name.slice(PRESENT.length), tensor);
  }
  return { length, tensors, owned: false };
}

/** Frees the native side of a cache we made (a borrowed one belongs to its request). */
export function releaseCache(cache: KvCache): void {
  if (cache.owned) for (const tensor of cache.tensors.values()) tensor.dispose();
}

/** Beam reordering: row i of the result is row `rows[i]` of `tensor` (gather along the batch axis). */
export function gatherRows(tensor: CacheTensor, rows: readonly number[]): CacheTensor {
  const [batch, heads, length, headSize] = tensor.shape;
  const rowSize = heads * length * headSize;
  const size = rows.length * rowSize;
  const data = tensor.data instanceof Uint16Array ? new Uint16Array(size) : new Float32Array(size);
  rows.forEach((row, i) => {
    if (row < 0 || row >= batch) throw new RangeError(`row ${row} is outside the batch of ${batch}`);
    data.set(tensor.data.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
  });
  return { data, shape: [rows.length, heads, length, headSize] };
}

/** The cache with every tensor's rows gathered by `rows` (beam i continues beam rows[i]): a copy we own. */
export function reorderCache(cache: KvCache, rows: readonly number[]): KvCache {
  const tensors = new Map<string, Tensor>();
  for (const [name, tensor] of cache.tensors) {
    const source = { data: tensor.data as CacheData, shape: tensor.shape as CacheTensor['shape'] };
    tensors.set(name, cacheTensor(gatherRows(source, rows)));
  }
  return { length: cache.length, tensors, owned: true };
}
