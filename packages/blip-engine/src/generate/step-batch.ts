// Continuous batching of decoder steps: every generation of one model that is decoding joins one batch, and
// each decoder run advances all of them by a token. A step is a memory-bound read of the decoder's weights,
// so four rows cost about what one does. Generations join and leave between steps; a run starts as soon as
// every member has asked for its next token (each does so right after reading its logits, in the same turn
// of the event loop), so nobody waits on a timer.
//
// Between runs where nobody joined, left or moved beams, the present_* outputs are bound as the next past_*
// inputs as they are, alternating between two requests, exactly as a generation alone does
// (decoder-step.ts). When the rows change, the cache is copied once into the new layout (batch-rows.ts).
// A prompt longer than one token (a captioning prompt) runs alone first (prompt-run.ts) and joins with its cache.
import { BlipError } from '../errors.js';
import { PARTS } from '../model/parts.js';
import { type InferRequest, Tensor } from '../openvino/index.js';
import { type PartRunner, viewF32 } from '../runtime/part-runner.js';
import { rightAlignedMask } from './batch-layout.js';
import { type BatchMember, BatchRows } from './batch-rows.js';
import type { DecoderStep, StepOutput } from './decode-loop.js';
import { type CacheTensor, cacheFromPresent, type InputMeta, releaseCache } from './kv-cache.js';
import { runPromptAlone } from './prompt-run.js';
import { bindStep, onesMask } from './step-tensors.js';

const PORTS = PARTS.text_decoder;

/** One generation in the batch: its rows, and the step it asked for. */
interface Member extends BatchMember {
  pending: {
    ids: number[][];
    resolve: (out: StepOutput) => void;
    reject: (error: unknown) => void;
  } | null;
  failed: BlipError | null;
  onStep: (() => void) | undefined;
}

export interface BatchSetup {
  decoderInputs: readonly InputMeta[];
  layers: number;
  heads: number;
  headSize: number;
}

/** The decoder steps of every generation of one loaded model, run together. */
export class StepBatch {
  private readonly members = new Set<Member>();
  private readonly rows: BatchRows;
  /** The cross K/V version each request has bound (a prompt run binds its own). */
  private readonly bound = new Map<InferRequest, number>();
  private running = false;
  private wake: (() => void) | null = null;
  /** Batched decoder runs so far, the rows they ran (holes included), and the most rows one run had. */
  readonly counts = { runs: 0, rows: 0, widest: 0 };

  constructor(
    private readonly decoder: PartRunner,
    private readonly setup: BatchSetup,
  ) {
    this.rows = new BatchRows(setup);
  }

  /** Joins a generation of `rows` rows cross-attending to `cross` ([1, heads, M, headSize]); call leave() at its end. */
  join(
    cross: Map<string, CacheTensor>,
    rows: number,
    onStep?: () => void,
  ): { step: DecoderStep; leave: () => void } {
    const crossLength = [...cross.values()][0]?.shape[2] ?? 0;
    const member: Member = {
      rows,
      cross,
      crossLength,
      slot: -1,
      seen: 0,
      own: null,
      moved: null,
      pending: null,
      failed: null,
      onStep,
    };
    this.members.add(member);
    this.start();
    const step: DecoderStep = (ids, beamIdx) =>
      new Promise<StepOutput>((resolve, reject) => {
        if (member.failed) return reject(member.failed);
        member.moved = beamIdx;
        member.pending = { ids, resolve, reject };
        this.poke();
      });
    const leave = () => {
      if (!this.members.delete(member)) return;
      this.rows.remove(member);
      this.poke();
    };
    return { step, leave };
  }

  /** Runs the loop on two held requests while anyone is a member. */
  private start(): void {
    if (this.running) return;
    this.running = true;
    void this.decoder
      .hold(2, (requests) => this.loop(requests as [InferRequest, InferRequest]))
      .finally(() => {
        this.running = false;
        this.rows.reset();
        this.bound.clear();
        if (this.members.size > 0) this.start(); // someone joined as the loop was ending
      });
  }

  private async loop(requests: [InferRequest, InferRequest]): Promise<void> {
    let turn = 0;
    for (;;) {
      await this.everyoneAsked();
      if (this.members.size === 0) return;
      const request = requests[turn] as InferRequest;
      const prompts = [...this.members].filter((m) => (m.pending?.ids[0]?.length ?? 0) > 1);
      // The batch's cache lives in the other request's outputs: prompts run on this one leave it intact.
      if (prompts.length > 0) for (const member of prompts) await this.runPrompt(member, request);
      else {
        await this.runBatch(request);
        turn = 1 - turn;
      }
    }
  }

  /** Resolves once every member has asked for a step (or nobody is left). */
  private everyoneAsked(): Promise<void> {
    if (this.ready()) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private ready(): boolean {
    for (const member of this.members) if (!member.pending) return false;
    return true;
  }

  private poke(): void {
    if (this.wake && this.ready()) {
      const wake = this.wake;
      this.wake = null;
      wake();
    }
  }

  private async runPrompt(member: Member, request: InferRequest): Promise<void> {
    const pending = member.pending as NonNullable<Member['pending']>;
    member.pending = null;
    this.bound.delete(request); // it now has this member's cross K/V bound
    try {
      const out = await runPromptAlone(this.decoder, request, pending.ids, member.cross, this.setup);
      member.own = out.cache;
      member.seen = out.cache.length;
      member.moved = null;
      member.onStep?.();
      pending.resolve({ logits: out.logits, vocab: out.vocab });
    } catch (error) {
      member.failed = failure(error);
      pending.reject(member.failed);
    }
  }

  /** One decoder run for every member: one token per row, each at its own position. */
  private async runBatch(request: InferRequest): Promise<void> {
    const members = [...this.members];
    if (this.rows.stale(members)) this.rows.relayout(members);
    const cache = this.rows.cache as NonNullable<BatchRows['cache']>;
    const width = this.rows.slots.length;
    const seen = cache.length + 1;
    const ids = new BigInt64Array(width);
    const positions = new BigInt64Array(width);
    const ones = new Array<number>(width).fill(seen); // holes attend to everything: finite, and ignored
    for (const m of members) {
      for (let j = 0; j < m.rows; j++) {
        ids[m.slot + j] = BigInt(m.pending?.ids[j]?.[0] ?? 0);
        positions[m.slot + j] = BigInt(m.seen);
        ones[m.slot + j] = m.seen + 1;
      }
    }
    const padded = ones.some((n) => n !== seen);
    const mask = padded ? rightAlignedMask(ones, seen) : onesMask(width, seen);
    const made = [new Tensor('i64', [width, 1], ids), new Tensor('i64', [width, 1], positions)];
    try {
      const rebind = this.bound.get(request) !== this.rows.crossVersion;
      bindStep(request, {
        ids: made[0] as Tensor,
        positions: made[1] as Tensor,
        mask,
        cache,
        cross: rebind ? this.rows.crossTensors : undefined,
      });
      this.bound.set(request, this.rows.crossVersion);
      const outputs = await this.decoder.infer(request);
      this.counts.runs++;
      this.counts.rows += width;
      this.counts.widest = Math.max(this.counts.widest, width);
      this.rows.cache = cacheFromPresent(outputs, seen); // the input cache is freed below

      const logits = viewF32(outputs, PORTS.outputs.logits);
      const vocab = logits.shape[2] as number;
      for (const m of members)
        this.deliver(m, logits.data.subarray(m.slot * vocab, (m.slot + m.rows) * vocab), vocab);
    } catch (error) {
      this.rows.cache = null;
      this.rows.changed = true;
      for (const m of members) this.reject(m, error);
    } finally {
      releaseCache(cache);
      if (padded) mask.dispose();
      for (const tensor of made) tensor.dispose();
    }
  }

  /** A member's logits (a view onto the outputs, valid until this request runs again, two runs later). */
  private deliver(m: Member, logits: Float32Array, vocab: number): void {
    const pending = m.pending;
    m.pending = null;
    m.moved = null;
    m.seen += 1;
    m.onStep?.();
    pending?.resolve({ logits, vocab });
  }

  /** A failed run fails every member's step; what the batch held is gone, so they all leave. */
  private reject(m: Member, error: unknown): void {
    m.failed = failure(error);
    m.pending?.reject(m.failed);
    m.pending = null;
  }
}

function failure(error: unknown): BlipError {
  if (error instanceof BlipError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new BlipError('RUNTIME', `decoder step failed: ${reason}`, { cause: error });
}
