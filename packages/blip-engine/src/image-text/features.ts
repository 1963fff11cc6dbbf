// The three image-text parts run on plain arrays (models/MODEL_FOLDER.md): the image's ITC vector from its
// embeddings, a text's ITC vector, and the ITM probability of one (image, text) pair. Each returns copies.
import type { Embeddings } from '../embeddings/encoders.js';
import { PARTS } from '../model/parts.js';
import { Tensor } from '../openvino/index.js';
import { copyF32, type PartRunner } from '../runtime/part-runner.js';

/** Ids [1,T] and an all-ones mask [1,T], as the processor gives one unpadded text. */
function textTensors(ids: readonly number[]): { ids: Tensor; mask: Tensor } {
  return {
    ids: new Tensor('i64', [1, ids.length], BigInt64Array.from(ids, BigInt)),
    mask: new Tensor('i64', [1, ids.length], new BigInt64Array(ids.length).fill(1n)),
  };
}

/** image_embeds [1,N,H] → the unit-length image feature [D]. */
export function runImageFeature(part: PartRunner, image: Embeddings): Promise<Float32Array> {
  const { inputs: port, outputs: out } = PARTS.image_feature;
  const inputs = { [port.embeddings]: new Tensor('f32', image.shape, image.data) };
  return part.run(inputs, (outputs) => copyF32(outputs, out.feature).data);
}

/** Text ids ([CLS] … [SEP]) → the unit-length text feature [D]. */
export function runTextFeature(part: PartRunner, ids: readonly number[]): Promise<Float32Array> {
  const { inputs: port, outputs: out } = PARTS.text_feature;
  const text = textTensors(ids);
  const inputs = { [port.ids]: text.ids, [port.mask]: text.mask };
  return part.run(inputs, (outputs) => copyF32(outputs, out.feature).data);
}

/** Text ids cross-attending to image_embeds [1,N,H] → P(the text describes the image), 0..1. */
export function runMatch(part: PartRunner, ids: readonly number[], image: Embeddings): Promise<number> {
  const { inputs: port, outputs: out } = PARTS.image_text_match;
  const text = textTensors(ids);
  const inputs = {
    [port.ids]: text.ids,
    [port.mask]: text.mask,
    [port.image]: new Tensor('f32', image.shape, image.data),
  };
  return part.run(inputs, (outputs) => copyF32(outputs, out.probability).data[0] as number);
}

/** Dot product of two unit vectors = their cosine similarity. */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`vectors of length ${a.length} and ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
