// The floor: the same part calls the engine makes for one answer or caption, run bare — one infer request
// per part, synchronous infer(), tensors prepared and bound beforehand — timing only the infer() calls.

import type { EngineContext } from '../src/engine/generation.js';
import { argmax } from '../src/generate/math.js';
import type { CompiledModel, InferRequest } from '../src/openvino/index.js';
import { Tensor } from '../src/openvino/index.js';

/** Summed infer() time per stage, ms. */
export interface FloorTimes {
  vision: number;
  textEncoder: number;
  crossKv: number;
  /** The first decoder run (prompt into an empty cache). */
  prefill: number;
  /** The other decoder runs. */
  decode: number;
  total: number;
}

/** Bare requests for each part of a loaded model. */
export function floorRequests(ctx: EngineContext) {
  const make = (compiled: CompiledModel) => compiled.createInferRequest();
  return {
    vision: make(ctx.parts.vision.compiled),
    textEncoder: ctx.parts.textEncoder ? make(ctx.parts.textEncoder.compiled) : null,
    crossKv: make(ctx.parts.crossKv.compiled),
    decoder: make(ctx.parts.decoder.compiled),
  };
}

type Requests = ReturnType<typeof floorRequests>;

/** Binds `inputs`, times one bare infer() and returns a copy of the named f32 outputs. */
function timedInfer(request: InferRequest, inputs: Record<string, Tensor>, names: string[]) {
  // Inputs are bound before the clock starts: the floor is the inference itself (and reading its outputs).
  for (const [name, tensor] of Object.entries(inputs)) request.setTensor(name, tensor);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const outputs = request.infer();
  const ms = performance.now() - start;
  const cpuMs = cpuMsSince(cpuStart);
  // Copies in the output's own element type (the cross K/V are bf16 when the decoder computes in bf16).
  const copies = new Map(
    names.map((n) => {
      const out = outputs[n];
      if (!out) throw new Error(`a bare run is missing output '${n}'`);
      return [n, new Tensor(out.elementType, out.shape, out.data.slice())];
    }),
  );
  return { ms, cpuMs, copies };
}

const ids = (values: number[]) => new Tensor('i64', [1, values.length], BigInt64Array.from(values, BigInt));
const ones = (n: number) => new Tensor('i64', [1, n], new BigInt64Array(n).fill(1n));

/** Replays an answer (question ids given) or a caption (null) of `newTokens` tokens with bare infer() calls. */
export function floorRun(
  ctx: EngineContext,
  requests: Requests,
  pixels: Float32Array,
  questionIds: number[] | null,
  newTokens: number,
): FloorTimes {
  const size = ctx.manifest.image.size;
  const times: FloorTimes = { vision: 0, textEncoder: 0, crossKv: 0, prefill: 0, decode: 0, total: 0 };
  const vision = timedInfer(
    requests.vision,
    { pixel_values: new Tensor('f32', [1, 3, size, size], pixels) },
    ['image_embeds'],
  );
  times.vision = vision.ms;
  let states = vision.copies.get('image_embeds') as Tensor;
  if (questionIds && requests.textEncoder) {
    const q = timedInfer(
      requests.textEncoder,
      {
        input_ids: ids(questionIds),
        attention_mask: ones(questionIds.length),
        encoder_hidden_states: states,
      },
      ['question_embeds'],
    );
    times.textEncoder = q.ms;
    states = q.copies.get('question_embeds') as Tensor;
  }
  const cross = timedInfer(requests.crossKv, { encoder_hidden_states: states }, layerNames(ctx, 'cross'));
  times.crossKv = cross.ms;
  const decoded = floorDecode(ctx, requests.decoder, cross.copies, newTokens);
  times.prefill = decoded.prefill;
  times.decode = decoded.decode;
  times.total = times.vision + times.textEncoder + times.crossKv + times.prefill + times.decode;
  return times;
}

/** past_key.0, past_value.0, … (or cross_/present_) for every decoder layer. */
function layerNames(ctx: EngineContext, prefix: string): string[] {
  const layers = ctx.manifest.decoder.layers;
  return Array.from({ length: layers }, (_, i) => [`${prefix}_key.${i}`, `${prefix}_value.${i}`]).flat();
}

/**
 * The decoder steps alone, bare: greedy from the decoder start over the given cross K/V, `newTokens` runs,
 * each step's present_* copied (untimed) into new tensors for the next. Times: the first run, the rest (sum
 * and each) and the CPU time of all runs.
 */
export function floorDecode(
  ctx: EngineContext,
  decoder: InferRequest,
  cross: ReadonlyMap<string, Tensor>,
  newTokens: number,
): { prefill: number; decode: number; steps: number[]; cpuMs: number } {
  const { heads, head_size: headSize } = ctx.manifest.decoder;
  const times = { prefill: 0, decode: 0, steps: [] as number[], cpuMs: 0 };
  let past = new Map(
    // The first step's empty cache in the decoder's own cache type (bf16 when it computes in bf16).
    layerNames(ctx, 'past').map((n) => {
      const bf16 = decoder.compiledModel.inputs.find((p) => p.names.includes(n))?.elementType === 'bf16';
      const shape = [1, heads, 0, headSize];
      return [
        n,
        bf16 ? new Tensor('bf16', shape, new Uint16Array(0)) : new Tensor('f32', shape, new Float32Array(0)),
      ];
    }),
  );
  let token = ctx.manifest.tokens.decoder_start;
  for (let step = 0; step < newTokens; step++) {
    const inputs: Record<string, Tensor> = { input_ids: ids([token]), attention_mask: ones(step + 1) };
    if (ctx.batchInputs) {
      // Folders exported for batching take positions and a cross mask: an unpadded row's, as the engine's.
      inputs.position_ids = ids([step]);
      inputs.encoder_attention_mask = ones(cross.get('cross_key.0')?.shape[2] ?? 0);
    }
    for (const [n, t] of [...past, ...cross]) inputs[n] = t;
    const out = timedInfer(decoder, inputs, ['logits', ...layerNames(ctx, 'present')]);
    times.cpuMs += out.cpuMs;
    if (step === 0) times.prefill = out.ms;
    else {
      times.decode += out.ms;
      times.steps.push(out.ms);
    }
    token = argmax((out.copies.get('logits') as Tensor).data as Float32Array);
    past = new Map(
      layerNames(ctx, 'present').map((n) => [n.replace('present_', 'past_'), out.copies.get(n) as Tensor]),
    );
  }
  return times;
}

/** CPU time (user + system, every thread of this process, OpenVINO's included) since `start`, ms: unlike wall
 * time it does not grow while the process waits for a core on a loaded machine. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}
