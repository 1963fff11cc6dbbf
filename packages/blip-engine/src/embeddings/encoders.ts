// The per-image, per-question and per-answer parts: vision encoder, question encoder and the decoder's
// cross-attention K/V projection. Each takes plain arrays and returns copies, so callers never hold a request.

import { BlipError } from '../errors.js';
import { type CacheTensor, gatherRows } from '../generate/kv-cache.js';
import { PARTS, tensorNames } from '../model/parts.js';
import { type InferOutputs, Tensor } from '../openvino/index.js';
import { copyF32, type PartRunner } from '../runtime/part-runner.js';

/** Encoder states [1, N, H] f32 (image or question embeddings). */
export interface Embeddings {
  data: Float32Array;
  shape: number[];
}

/** pixel_values [1,3,S,S] → image_embeds [1, N, H]. */
export function runVision(vision: PartRunner, pixels: Float32Array, size: number): Promise<Embeddings> {
  const { inputs: port, outputs: out } = PARTS.vision_model;
  const inputs = { [port.pixels]: new Tensor('f32', [1, 3, size, size], pixels) };
  return vision.run(inputs, (outputs) => copyF32(outputs, out.embeddings));
}

/** Question ids (with [CLS] … [SEP]) cross-attending to the image → question_embeds [1, T, H]. */
export function runTextEncoder(
  encoder: PartRunner,
  ids: readonly number[],
  image: Embeddings,
): Promise<Embeddings> {
  const { inputs: port, outputs: out } = PARTS.text_encoder;
  const inputs = {
    [port.ids]: new Tensor('i64', [1, ids.length], BigInt64Array.from(ids, BigInt)),
    [port.mask]: new Tensor('i64', [1, ids.length], new BigInt64Array(ids.length).fill(1n)),
    [port.image]: new Tensor('f32', image.shape, image.data),
  };
  return encoder.run(inputs, (outputs) => copyF32(outputs, out.embeddings));
}

/**
 * `first`'s tokens followed by `then`'s, [1, N1 + N2, H] (an answer's memory: question, then image; the manifest's
 * check at load makes both H wide).
 */
export function followedBy(first: Embeddings, then: Embeddings): Embeddings {
  const [, n1, hidden] = first.shape as [number, number, number];
  const [, n2] = then.shape as [number, number, number];
  const data = new Float32Array(first.data.length + then.data.length);
  data.set(first.data);
  data.set(then.data, first.data.length);
  return { data, shape: [1, n1 + n2, hidden] };
}

/**
 * Encoder states → cross_key.i / cross_value.i for every decoder layer, computed once per answer or caption
 * (they never change between steps) and repeated to `rows` decoder rows (beams).
 */
export async function runCrossKv(
  crossKv: PartRunner,
  states: Embeddings,
  layers: number,
  rows: number,
): Promise<Map<string, CacheTensor>> {
  const { inputs: port, outputs: out } = PARTS.text_decoder_cross_kv;
  const names = tensorNames([out.crossKey, out.crossValue], layers);
  const inputs = { [port.states]: new Tensor('f32', states.shape, states.data) };
  const single = await crossKv.run(inputs, (outputs) =>
    names.map((name) => [name, copyCache(outputs, name)] as const),
  );
  const repeat = Array.from({ length: rows }, () => 0);
  return new Map(single.map(([name, tensor]) => [name, rows === 1 ? tensor : gatherRows(tensor, repeat)]));
}

/** A copy of a cross K/V output: f32, or bf16 bits when the part gives bf16 (runtime/compile-parts.ts). */
function copyCache(outputs: InferOutputs, name: string): CacheTensor {
  const tensor = outputs[name];
  const data = tensor?.data;
  if (!(data instanceof Float32Array || data instanceof Uint16Array))
    throw new BlipError('RUNTIME', `cross K/V output '${name}' is missing or neither f32 nor bf16`);
  return { data: data.slice(), shape: tensor?.shape as CacheTensor['shape'] };
}
