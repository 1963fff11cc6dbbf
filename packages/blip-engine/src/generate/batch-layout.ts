// The tensors of a batched decoder step whose rows have different lengths (step-batch.ts): each row's
// self-attention cache right-aligned in a common length P (left padding, masked), each row's cross K/V in a
// slab of stable row slots padded to a common length M (right padding, masked), and the masks that say so.
// Pure copies and arithmetic: nothing here runs a graph.
import { Tensor } from '../openvino/index.js';
import { type CacheData, type CacheTensor, cacheTensor, type KvCache } from './kv-cache.js';

/** Where one batch row's cache is now: row `row` of `cache`, whose last `seen` positions are the row's own. */
export interface RowSource {
  cache: KvCache;
  row: number;
}

/**
 * A new cache [B, heads, length, headSize] (owned): row r holds the last `seen[r]` positions of its source,
 * right-aligned; rows without a source (holes, rows that saw nothing yet) stay zero (their mask hides them).
 */
export function gatherPadded(
  names: readonly string[],
  sources: readonly (RowSource | null)[],
  seen: readonly number[],
  length: number,
  dims: { heads: number; headSize: number; bf16: boolean },
): KvCache {
  const { heads, headSize } = dims;
  const rows = sources.length;
  const tensors = new Map<string, Tensor>();
  for (const name of names) {
    const size = rows * heads * length * headSize;
    const out: CacheData = dims.bf16 ? new Uint16Array(size) : new Float32Array(size);
    sources.forEach((source, r) => {
      const n = seen[r] ?? 0;
      if (!source || n === 0) return;
      const from = source.cache.tensors.get(name) as Tensor;
      const data = from.data as CacheData;
      const have = from.shape[2] as number;
      for (let head = 0; head < heads; head++) {
        const at = ((source.row * heads + head) * have + (have - n)) * headSize;
        out.set(
          data.subarray(at, at + n * headSize),
          ((r * heads + head) * length + (length - n)) * headSize,
        );
      }
    });
    tensors.set(name, cacheTensor({ data: out, shape: [rows, heads, length, headSize] }));
  }
  return { length, tensors, owned: true };
}

/** Cross K/V of every layer for `capacity` row slots, each padded to `length` positions (f32 or bf16 bits). */
export class CrossSlab {
  readonly data = new Map<string, CacheData>();

  constructor(
    names: readonly string[],
    readonly capacity: number,
    readonly length: number,
    private readonly dims: { heads: number; headSize: number },
    bf16: boolean,
  ) {
    const size = capacity * dims.heads * length * dims.headSize;
    for (const name of names) this.data.set(name, bf16 ? new Uint16Array(size) : new Float32Array(size));
  }

  /** Copies a generation's cross K/V ([1, heads, M, headSize] per name) into `rows` slots from `slot` on. */
  place(cross: ReadonlyMap<string, CacheTensor>, slot: number, rows: number): void {
    const { heads, headSize } = this.dims;
    for (const [name, tensor] of cross) {
      const slab = this.data.get(name) as CacheData;
      const m = tensor.shape[2];
      for (let row = slot; row < slot + rows; row++) {
        for (let head = 0; head < heads; head++) {
          const from = head * m * headSize;
          const to = (row * heads + head) * this.length * headSize;
          slab.set(tensor.data.subarray(from, from + m * headSize), to);
        }
      }
    }
  }

  /** Zero-copy tensors over the first `rows` slots, by input name. */
  tensors(rows: number): [string, Tensor][] {
    const { heads, headSize } = this.dims;
    return [...this.data].map(([name, data]) => [
      name,
      cacheTensor({
        data: data.subarray(0, rows * heads * this.length * headSize),
        shape: [rows, heads, this.length, headSize],
      }),
    ]);
  }
}

/** [rows, width] i64 mask: row r has zeros first and `ones[r]` ones at the end (a right-aligned row). */
export function rightAlignedMask(ones: readonly number[], width: number): Tensor {
  const data = new BigInt64Array(ones.length * width);
  ones.forEach((n, r) => {
    data.fill(1n, r * width + width - n, (r + 1) * width);
  });
  return new Tensor('i64', [ones.length, width], data);
}

/** [rows, width] i64 mask: row r has `ones[r]` ones first, then zeros (a left-aligned row). */
export function leftAlignedMask(ones: readonly number[], width: number): Tensor {
  const data = new BigInt64Array(ones.length * width);
  ones.forEach((n, r) => {
    data.fill(1n, r * width, r * width + n);
  });
  return new Tensor('i64', [ones.length, width], data);
}
