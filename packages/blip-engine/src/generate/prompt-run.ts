// A prompt of several tokens (a captioning prompt) run alone before its generation joins the decoder batch
// (step-batch.ts): every row of the batch takes one token per run, so a longer first input cannot share one.
import { PARTS } from '../model/parts.js';
import { type InferRequest, Tensor } from '../openvino/index.js';
import { type PartRunner, viewF32 } from '../runtime/part-runner.js';
import {
  type CacheTensor,
  cacheFromPresent,
  cacheTensor,
  emptyCache,
  gatherRows,
  type InputMeta,
  type KvCache,
  releaseCache,
  reorderCache,
} from './kv-cache.js';
import { bindStep, lastPosition, onesMask } from './step-tensors.js';

const PORTS = PARTS.text_decoder;
const BATCH = PARTS.text_decoder.batchInputs;

/** The prompt `ids` ([rows][L]) on an empty cache: copies of the last logits and of the cache it made. */
export async function runPromptAlone(
  decoder: PartRunner,
  request: InferRequest,
  ids: number[][],
  cross: ReadonlyMap<string, CacheTensor>,
  setup: { decoderInputs: readonly InputMeta[]; heads: number; headSize: number },
): Promise<{ cache: KvCache; logits: Float32Array; vocab: number }> {
  const rows = ids.length;
  const length = ids[0]?.length ?? 0;
  const crossLength = [...cross.values()][0]?.shape[2] ?? 0;
  const made = [
    new Tensor('i64', [rows, length], BigInt64Array.from(ids.flat(), BigInt)),
    new Tensor(
      'i64',
      [rows, length],
      new BigInt64Array(rows * length).map((_, i) => BigInt(i % length)),
    ),
  ];
  const crossTensors = [...cross].map(([name, t]) => [name, repeatRows(t, rows)] as const);
  const empty = emptyCache(setup.decoderInputs, rows, setup);
  try {
    bindStep(request, {
      ids: made[0] as Tensor,
      positions: made[1] as Tensor,
      mask: onesMask(rows, length),
      cache: empty,
      cross: [...crossTensors, [BATCH.crossMask, onesMask(rows, crossLength)]],
    });
    const outputs = await decoder.infer(request);
    // Copies: the request runs again (another prompt, or the batch) while the generation reads them.
    const identity = Array.from({ length: rows }, (_, i) => i);
    const cache = reorderCache(cacheFromPresent(outputs, length), identity);
    const logits = lastPosition(viewF32(outputs, PORTS.outputs.logits));
    return { cache, logits: logits.data.slice(), vocab: logits.vocab };
  } finally {
    for (const tensor of made) tensor.dispose();
    for (const [, tensor] of crossTensors) tensor.dispose();
    releaseCache(empty);
  }
}

/** [1, heads, M, headSize] → a [rows, …] tensor (a beam group's prompt run needs one row per beam); one row is not copied. */
function repeatRows(tensor: CacheTensor, rows: number): Tensor {
  return cacheTensor(rows === 1 ? tensor : gatherRows(tensor, new Array<number>(rows).fill(0)));
}
