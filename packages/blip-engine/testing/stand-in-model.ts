// The stand-in's one model: a VQA model with a small pixel spec, Hugging Face's generate() defaults and
// a word tokenizer standing in for WordPiece, so the real question and option rules apply without weights.
import { GENERATION_OPTIONS } from '../src/generate/option-table.js';
import type { ImageSpec } from '../src/image/index.js';
import type { ModelInfo } from '../src/types.js';

/** The pixel spec of the stand-in's model: small, so decoding test images costs little. */
export const SPEC: ImageSpec = {
  size: 32,
  resample: 'bicubic',
  rescale_factor: 1 / 255,
  mean: [0.5, 0.5, 0.5],
  std: [0.5, 0.5, 0.5],
};
/** Hugging Face's generate() defaults, as a manifest without its own would give. */
export const DEFAULTS = {
  max_length: 20,
  min_length: 0,
  num_beams: 1,
  repetition_penalty: 1,
  length_penalty: 1,
};
export const MAX_POSITIONS = 512;

/** Words split as BERT's basic tokenizer does (words, punctuation), with [CLS] and [SEP]: never more than WordPiece. */
export const wordTokenizer = {
  encode: (text: string) => [
    101,
    ...(text.toLowerCase().match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? []).map(() => 1),
    102,
  ],
};

export function standInModel(fields: Partial<ModelInfo> = {}): ModelInfo {
  return {
    id: fields.id ?? fields.name ?? 'stand-in',
    name: 'stand-in',
    family: 'blip-vqa',
    folder: '(stand-in)',
    source: '@blip/engine/testing',
    precision: {
      vision_model: 'fp32',
      text_encoder: 'fp32',
      text_decoder_cross_kv: 'fp32',
      text_decoder: 'fp32',
    },
    imageSize: SPEC.size,
    captionPrompt: null,
    capabilities: fields.family === 'blip-caption' ? ['caption'] : ['caption', 'answer', 'embed', 'match'],
    maxNewTokens: Math.min(
      GENERATION_OPTIONS.find((o) => o.name === 'maxNewTokens')?.max ?? 256,
      MAX_POSITIONS - 1,
    ),
    inferencePrecision: 'f32',
    card: null,
    confidenceThreshold: null,
    ...fields,
  };
}
