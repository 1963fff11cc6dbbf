// The BLIP parts described by data, not branches: which graph each part is, when it runs, which families
// have it, and its ports by role (tensor names from models/MODEL_FOLDER.md; bound by name). Loading, the
// port check at load, the tensor names the encoders and the decoder step bind, warm-up and what a family can
// do all read this table, so a new part (an image-text matching head, a stateful decoder) is a new row.
import type { Capability, ModelFamily } from '../types.js';

export type PartName =
  | 'vision_model'
  | 'text_encoder'
  | 'text_decoder_cross_kv'
  | 'text_decoder'
  | 'image_feature'
  | 'text_feature'
  | 'image_text_match';

/** One graph of a model folder. Port templates may hold `{i}`: one tensor per decoder layer. */
export interface PartSpec {
  name: PartName;
  /** How often the pipeline runs it. */
  runs: 'per image' | 'per question' | 'per answer' | 'per decoder step' | 'per query' | 'per candidate';
  /** Families whose folders must have it; parts no family needs are optional, loaded when the manifest lists them. */
  families: readonly ModelFamily[];
  /** Input tensor names by role. */
  inputs: Readonly<Record<string, string>>;
  /** Output tensor names by role. */
  outputs: Readonly<Record<string, string>>;
  /** This graph carries the self-attention KV cache (past_* in, present_* out). */
  carriesCache: boolean;
  /**
   * Inputs that continuous batching needs (rows of different lengths in one run), fed when the graph has them.
   * Folders exported before them still load; their generations run their decoder steps alone.
   */
  batchInputs?: Readonly<Record<string, string>>;
}

const BOTH: readonly ModelFamily[] = ['blip-vqa', 'blip-caption'];

/** The parts, in the order the pipeline uses them. */
export const PARTS = {
  vision_model: {
    name: 'vision_model',
    runs: 'per image', // cached by image content, so a follow-up question skips it
    families: BOTH,
    inputs: { pixels: 'pixel_values' },
    outputs: { embeddings: 'image_embeds' },
    carriesCache: false,
  },
  text_encoder: {
    name: 'text_encoder',
    runs: 'per question',
    families: ['blip-vqa'],
    inputs: { ids: 'input_ids', mask: 'attention_mask', image: 'encoder_hidden_states' },
    outputs: { embeddings: 'question_embeds' },
    carriesCache: false,
  },
  text_decoder_cross_kv: {
    name: 'text_decoder_cross_kv',
    runs: 'per answer', // cross-attention K/V never change between steps: computed once
    families: BOTH,
    inputs: { states: 'encoder_hidden_states' },
    outputs: { crossKey: 'cross_key.{i}', crossValue: 'cross_value.{i}' },
    carriesCache: false,
  },
  text_decoder: {
    name: 'text_decoder',
    runs: 'per decoder step',
    families: BOTH,
    inputs: {
      ids: 'input_ids',
      mask: 'attention_mask',
      pastKey: 'past_key.{i}',
      pastValue: 'past_value.{i}',
      crossKey: 'cross_key.{i}',
      crossValue: 'cross_value.{i}',
    },
    outputs: { logits: 'logits', presentKey: 'present_key.{i}', presentValue: 'present_value.{i}' },
    carriesCache: true,
    batchInputs: { positions: 'position_ids', crossMask: 'encoder_attention_mask' },
  },
  // Issue 20's image-text parts (optional, all three or none): BlipForImageTextRetrieval's ITC vectors and ITM head.
  image_feature: {
    name: 'image_feature',
    runs: 'per image', // over vision_model's output; the vector is cached and stored with the image
    families: [],
    inputs: { embeddings: 'image_embeds' },
    outputs: { feature: 'image_feature' },
    carriesCache: false,
  },
  text_feature: {
    name: 'text_feature',
    runs: 'per query',
    families: [],
    inputs: { ids: 'input_ids', mask: 'attention_mask' },
    outputs: { feature: 'text_feature' },
    carriesCache: false,
  },
  image_text_match: {
    name: 'image_text_match',
    runs: 'per candidate', // a re-rank runs it once per (image, text) pair
    families: [],
    inputs: { ids: 'input_ids', mask: 'attention_mask', image: 'encoder_hidden_states' },
    outputs: { probability: 'match_probability' },
    carriesCache: false,
  },
} as const satisfies Record<PartName, PartSpec>;

/** The parts each task needs. A folder can do a task when it has all of them. */
const TASK_PARTS: Record<Capability, readonly PartName[]> = {
  caption: ['vision_model', 'text_decoder_cross_kv', 'text_decoder'],
  answer: ['vision_model', 'text_encoder', 'text_decoder_cross_kv', 'text_decoder'],
  embed: ['vision_model', 'image_feature', 'text_feature'],
  match: ['vision_model', 'image_text_match'],
};

/**
 * The parts a folder of `family` loads, in the order the pipeline uses them: those its family must have, and
 * the optional ones its manifest lists (`listed`: the manifest's `parts` keys).
 */
export function partsOf(family: ModelFamily, listed: readonly string[] = []): PartSpec[] {
  return Object.values(PARTS).filter((part) => {
    const families = part.families as readonly ModelFamily[];
    return families.includes(family) || (families.length === 0 && listed.includes(part.name));
  });
}

/** The tasks a folder's parts support, from the table. */
export function capabilitiesOf(family: ModelFamily, listed: readonly string[] = []): Capability[] {
  const have = new Set(partsOf(family, listed).map((p) => p.name));
  return (Object.entries(TASK_PARTS) as [Capability, readonly PartName[]][])
    .filter(([, needs]) => needs.every((part) => have.has(part)))
    .map(([task]) => task);
}

/** Whether a compiled decoder's inputs include every one of its batch inputs (folders exported since batching). */
export function hasBatchInputs(inputs: readonly { names: readonly string[] }[]): boolean {
  const have = new Set(inputs.flatMap((input) => input.names));
  return Object.values(PARTS.text_decoder.batchInputs).every((name) => have.has(name));
}

/** Expands `{i}` tensor-name templates for each decoder layer: 'cross_key.{i}' → cross_key.0 … cross_key.(layers−1). */
export function tensorNames(templates: readonly string[], layers: number): string[] {
  return templates.flatMap((name) =>
    name.includes('{i}') ? Array.from({ length: layers }, (_, i) => name.replace('{i}', String(i))) : [name],
  );
}
