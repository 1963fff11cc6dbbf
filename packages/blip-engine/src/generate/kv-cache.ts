// The decoder's self-attention KV cache as an explicit value, and the only two places that know its tensor
// names: `emptyCache` (first step, from the compiled decoder's input metadata) and `cacheFromPresent`
// (present_* outputs of a step become the past_* inputs of the next). Everything else sees a KvCache.

/** One cached tensor, row-major [batch, heads, length, headSize] f32. */
export interface CacheTensor {
  data: Float32Array;
  shape: [number, number, number, number];
}

/** The self-attention cache: past input name ('past_key.0', …) → its tensor. All share batch and length. */
export type KvCache = Map<string, CacheTensor>;

/** What `emptyCache` needs to know of a decoder input (the binding's Port has these fields). */
export interface InputMeta {
  /** Every tensor name of the input (the binding's Port.names). */
  names: readonly string[];
  partialShape: { dims: number[] };
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
  const cache: KvCache = new Map();
  for (const input of inputs) {
    const name = input.names.find((n) => n.startsWith(PAST));
    if (name === undefined) continue;
    const dims = input.partialShape.dims;
    const heads = (dims[1] ?? -1) > 0 ? (dims[1] as number) : fallback.heads;
    const headSize = (dims[3] ?? -1) > 0 ? (dims[3] as number) : fallback.headSize;
    cache.set(name, { data: new Float32Array(0), shape: [batch, heads, 0, headSize] });
  }
  return cache;
}

/** After a step: every `present_*` output becomes the next step's `past_*` (data copied: the request's memory is reused). */
export function cacheFromPresent(
  outputs: ReadonlyMap<string, { data: Float32Array; shape: readonly number[] }>,
): KvCache {
  const cache: KvCache = new Map();
  for (const [name, tensor] of outputs) {
    if (!name.startsWith(PRESENT)) continue;
    const [batch = 0, heads = 0, length = 0, headSize = 0] = tensor.shape;
    cache.set(PAST + name.slice(PRESENT.length), {
      data: tensor.data.slice(), // a memcpy; Float32Array.from would iterate element by element
      shape: [batch, heads, length, headSize],
    });
  }
  return cache;
}

/** Cached length P (tokens already seen), 0 for an empty cache. */
export function cacheLength(cache: KvCache): number {
  for (const tensor of cache.values()) return tensor.shape[2];
  return 0;
}

/** Beam reordering: row i of the result is row `rows[i]` of `tensor` (gather along the batch axis). */
export function gatherRows(tensor: CacheTensor, rows: readonly number[]): CacheTensor {
  const [batch, heads, length, headSize] = tensor.shape;
  const rowSize = heads * length * headSize;
  const data = new Float32Array(rows.length * rowSize);
  rows.forEach((row, i) => {
    if (row < 0 || row >= batch) throw new RangeError(`row ${row} is outside the batch of ${batch}`);
    data.set(tensor.data.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
  });
  return { data, shape: [rows.length, heads, length, headSize] };
}

/** The cache with every tensor's rows gathered by `rows` (beam i continues beam rows[i]). */
export function reorderCache(cache: KvCache, rows: readonly number[]): KvCache {
  const out: KvCache = new Map();
  for (const [name, tensor] of cache) out.set(name, gatherRows(tensor, rows));
  return out;
}
