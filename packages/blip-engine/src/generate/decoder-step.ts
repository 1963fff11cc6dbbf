// The one place that turns a decoder call into tensors: input ids, the self-attention mask, the cache and the
// cross-attention K/V, all bound by name; back come the last position's logits and the grown cache.

import { tensorNames } from '../model/parts.js';
import { Tensor } from '../openvino/index.js';
import { type PartRunner, viewF32 } from '../runtime/part-runner.js';
import type { DecoderStep } from './decode-loop.js';
import type { CacheTensor } from './kv-cache.js';
import { cacheFromPresent, cacheLength } from './kv-cache.js';

/** Counts decoder runs (EngineStats.decoderSteps) and lets a benchmark recompute cross K/V each step. */
export interface StepHooks {
  onStep?: () => void;
  /** Called before each step; returns the cross K/V to use (the benchmark's "recompute every step" mode). */
  refreshCrossKv?: () => Promise<Map<string, CacheTensor>>;
}

/** A DecoderStep over `decoder`, cross-attending with `crossKv` (cross_key.i / cross_value.i, batch = rows). */
export function decoderStep(
  decoder: PartRunner,
  crossKv: Map<string, CacheTensor>,
  layers: number,
  hooks: StepHooks = {},
): DecoderStep {
  const presentNames = tensorNames(['present_key.{i}', 'present_value.{i}'], layers);
  // Cross K/V never change between steps: wrap them once per generation, not at every step.
  const fixedCross = wrapF32(crossKv);
  return async (inputIds, cache) => {
    const rows = inputIds.length;
    const length = inputIds[0]?.length ?? 0;
    const seen = cacheLength(cache) + length;
    const cross = hooks.refreshCrossKv ? wrapF32(await hooks.refreshCrossKv()) : fixedCross;
    const stepInputs: Record<string, Tensor> = {
      input_ids: new Tensor('i64', [rows, length], BigInt64Array.from(inputIds.flat(), BigInt)),
      attention_mask: new Tensor('i64', [rows, seen], new BigInt64Array(rows * seen).fill(1n)),
      ...wrapF32(cache),
    };
    try {
      const out = await decoder.run({ ...stepInputs, ...cross }, (outputs) => {
        // cacheFromPresent copies, so borrowed views are enough here.
        const present = new Map(presentNames.map((name) => [name, viewF32(outputs, name)]));
        return { logits: lastPosition(viewF32(outputs, 'logits')), cache: cacheFromPresent(present) };
      });
      hooks.onStep?.();
      return { logits: out.logits.data, vocab: out.logits.vocab, cache: out.cache };
    } finally {
      // Free this step's native tensors now rather than when the GC gets to them (the loop runs hundreds of steps).
      for (const tensor of Object.values(stepInputs)) tensor.dispose();
      if (cross !== fixedCross) for (const tensor of Object.values(cross)) tensor.dispose();
    }
  };
}

/** Zero-copy f32 tensors over cached arrays, by input name. */
function wrapF32(tensors: Map<string, CacheTensor>): Record<string, Tensor> {
  const wrapped: Record<string, Tensor> = {};
  for (const [name, tensor] of tensors) wrapped[name] = new Tensor('f32', tensor.shape, tensor.data);
  return wrapped;
}

/** logits [rows, L, V] → a copy of the last position of each row, [rows, V]. */
function lastPosition(logits: { data: Float32Array; shape: number[] }): {
  data: Float32Array;
  vocab: number;
} {
  const [rows = 0, length = 0, vocab = 0] = logits.shape;
  const all = logits.data;
  const data = new Float32Array(rows * vocab);
  for (let row = 0; row < rows; row++) {
    const start = (row * length + length - 1) * vocab;
    data.set(all.subarray(start, start + vocab), row * vocab);
  }
  return { data, vocab };
}
