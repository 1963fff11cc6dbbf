// The row layout of a decoder batch (step-batch.ts): which generation holds which rows, the batch's
// self-attention cache and the cross K/V slab with its mask. Rows keep stable slots (a generation's rows are
// consecutive, so beams stay together); the layout is re-made only when someone joins, leaves or moves beams.
import { PARTS, tensorNames } from '../model/parts.js';
import type { Tensor } from '../openvino/index.js';
import { CrossSlab, gatherPadded, leftAlignedMask, type RowSource } from './batch-layout.js';
import {
  type CacheTensor,
  cacheInBf16,
  cacheTensor,
  type InputMeta,
  type KvCache,
  releaseCache,
} from './kv-cache.js';

/** What the layout needs to know of a generation in the batch. */
export interface BatchMember {
  rows: number;
  /** Its cross K/V, [1, heads, M, headSize] per name (repeated to its rows in the slab). */
  cross: Map<string, CacheTensor>;
  crossLength: number;
  /** First of its `rows` consecutive slots; −1 until it is placed. */
  slot: number;
  /** Tokens its cache holds. */
  seen: number;
  /** Its cache after a prompt run alone, until it is copied into the batch. */
  own: KvCache | null;
  /** Beam moves asked for with its next step (row i continues row moved[i]); null = same rows. */
  moved: readonly number[] | null;
}

export class BatchRows {
  slots: (BatchMember | null)[] = [];
  /** The batch's self-attention cache [slots, heads, P, headSize]: owned after a re-layout, else borrowed. */
  cache: KvCache | null = null;
  /** Cross K/V over the slots and the cross mask, by input name; bump of `crossVersion` when they change. */
  crossTensors: [string, Tensor][] = [];
  crossVersion = 0;
  /** Someone left since the last layout. */
  changed = false;
  private slab: CrossSlab | null = null;
  private placed = new WeakSet<BatchMember>();
  private readonly pastNames: string[];

  /** Heads and head size, and whether the cache is bf16 (the decoder's past_* inputs say). */
  private readonly cacheDims: { heads: number; headSize: number; bf16: boolean };

  constructor(
    private readonly dims: {
      layers: number;
      heads: number;
      headSize: number;
      decoderInputs: readonly InputMeta[];
    },
  ) {
    const ports = PARTS.text_decoder.inputs;
    this.pastNames = tensorNames([ports.pastKey, ports.pastValue], dims.layers);
    this.cacheDims = { heads: dims.heads, headSize: dims.headSize, bf16: cacheInBf16(dims.decoderInputs) };
  }

  /** Whether the next step needs a new layout. */
  stale(members: readonly BatchMember[]): boolean {
    return this.changed || !this.cache || members.some((m) => m.slot < 0 || m.own || m.moved);
  }

  /** Frees a member's rows (it finished). */
  remove(member: BatchMember): void {
    for (let s = member.slot; s >= 0 && s < member.slot + member.rows; s++) this.slots[s] = null;
    if (member.own) releaseCache(member.own);
    this.changed = true;
  }

  /** New layout: slots for joiners, the cache copied into it (rows right-aligned), the cross slab and mask. */
  relayout(members: readonly BatchMember[]): void {
    for (const m of members) if (m.slot < 0) m.slot = this.freeSlots(m);
    while (this.slots.length > 0 && !this.slots[this.slots.length - 1]) this.slots.pop();
    const width = this.slots.length;
    const sources: (RowSource | null)[] = [];
    const seen: number[] = [];
    for (let s = 0; s < width; s++) {
      const m = this.slots[s];
      const from = m ? (m.moved?.[s - m.slot] ?? s - m.slot) : 0;
      if (m?.own) sources.push({ cache: m.own, row: from });
      else sources.push(m && m.seen > 0 && this.cache ? { cache: this.cache, row: m.slot + from } : null);
      seen.push(m?.seen ?? 0);
    }
    const length = Math.max(0, ...members.map((m) => m.seen));
    const next = gatherPadded(this.pastNames, sources, seen, length, this.cacheDims);
    this.dropCache();
    for (const m of members) {
      if (m.own) releaseCache(m.own);
      m.own = null;
    }
    this.cache = next;
    this.layoutCross(members, width);
    this.changed = false;
  }

  /** The slab for `width` rows: re-made (every member copied) when too small or of another length, else joiners placed. */
  private layoutCross(members: readonly BatchMember[], width: number): void {
    const need = Math.max(...members.map((m) => m.crossLength));
    const mask = PARTS.text_decoder.batchInputs.crossMask;
    const first = members[0] as BatchMember;
    for (const [, tensor] of this.crossTensors) tensor.dispose();
    this.crossVersion++;
    if (members.length === 1 && width === 1) {
      // One row alone: its own cross K/V, not copied (a caption's are 12 layers × 2 × 577 × 768 floats, 42 MB).
      // The slab is dropped; whoever joins next is placed in a fresh one with this member.
      this.slab = null;
      this.placed = new WeakSet();
      const own = [...first.cross].map(([name, t]) => [name, cacheTensor(t)] as [string, Tensor]);
      this.crossTensors = [...own, [mask, leftAlignedMask([need], need)]];
      return;
    }
    const names = [...first.cross.keys()];
    const fresh = !this.slab || this.slab.capacity < width || this.slab.length !== need;
    if (fresh)
      this.slab = new CrossSlab(
        names,
        Math.max(width, 2 * (this.slab?.capacity ?? 0)),
        need,
        this.dims,
        [...first.cross.values()][0]?.data instanceof Uint16Array,
      );
    const slab = this.slab as CrossSlab;
    for (const m of members) if (fresh || !this.placed.has(m)) slab.place(m.cross, m.slot, m.rows);
    this.placed = new WeakSet(members);
    const lengths = Array.from({ length: width }, (_, s) => this.slots[s]?.crossLength ?? need);
    this.crossTensors = [...slab.tensors(width), [mask, leftAlignedMask(lengths, need)]];
  }

  /** The first run of `rows` free slots (a gap left by someone who finished, or the end). */
  private freeSlots(member: BatchMember): number {
    let at = 0;
    for (let run = 0; at + run < this.slots.length; ) {
      if (this.slots[at + run]) {
        at += run + 1;
        run = 0;
      } else if (++run === member.rows) break;
    }
    for (let s = at; s < at + member.rows; s++) this.slots[s] = member;
    return at;
  }

  /** Frees the batch cache if we made it (a borrowed one belongs to its request). */
  dropCache(): void {
    if (this.cache) releaseCache(this.cache);
    this.cache = null;
  }

  /** Back to empty (the batch went idle). */
  reset(): void {
    this.dropCache();
    for (const [, tensor] of this.crossTensors) tensor.dispose();
    this.crossTensors = [];
    this.slab = null;
    this.slots = [];
    this.placed = new WeakSet();
    this.changed = false;
  }
}
