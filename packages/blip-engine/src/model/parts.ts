// The BLIP parts described by data, not branches: which graph each part is, when it runs, which families
// have it and which tensors it takes and gives (names from models/MODEL_FOLDER.md; bound by name).
import type { Capability, ModelFamily } from '../types.js';

export type PartName = 'vision_model' | 'text_encoder' | 'text_decoder_cross_kv' | 'text_decoder';

/** One graph of a model folder. */
export interface PartSpec {
  name: PartName;
  /** How often the pipeline runs it. */
  runs: 'per image' | 'per question' | 'per answer' | 'per decoder step';
  /** Families whose folders must have it. */
  families: readonly ModelFamily[];
  inputs: readonly string[];
  outputs: readonly string[];
  /** This graph carries the self-attention KV cache (past_* in, present_* out). */
  carriesCache: boolean;
}

export const PARTS: readonly PartSpec[] = [
  {
    name: 'vision_model',
    runs: 'per image', // cached by image content, so a follow-up question skips it
    families: ['blip-vqa', 'blip-caption'],
    inputs: ['pixel_values'],
    outputs: ['image_embeds'],
    carriesCache: false,
  },
  {
    name: 'text_encoder',
    runs: 'per question',
    families: ['blip-vqa'],
    inputs: ['input_ids', 'attention_mask', 'encoder_hidden_states'],
    outputs: ['question_embeds'],
    carriesCache: false,
  },
  {
    name: 'text_decoder_cross_kv',
    runs: 'per answer', // cross-attention K/V never change between steps: computed once
    families: ['blip-vqa', 'blip-caption'],
    inputs: ['encoder_hidden_states'],
    outputs: ['cross_key.{i}', 'cross_value.{i}'],
    carriesCache: false,
  },
  {
    name: 'text_decoder',
    runs: 'per decoder step',
    families: ['blip-vqa', 'blip-caption'],
    inputs: [
      'input_ids',
      'attention_mask',
      'past_key.{i}',
      'past_value.{i}',
      'cross_key.{i}',
      'cross_value.{i}',
    ],
    outputs: ['logits', 'present_key.{i}', 'present_value.{i}'],
    carriesCache: true,
  },
];

/** The parts a folder of `family` must provide, in the order the pipeline uses them. */
export function partsOf(family: ModelFamily): PartSpec[] {
  return PARTS.filter((part) => part.families.includes(family));
}

/** Expands `{i}` tensor-name templates for each decoder layer: 'cross_key.{i}' → cross_key.0 … cross_key.(layers−1). */
export function tensorNames(templates: readonly string[], layers: number): string[] {
  return templates.flatMap((name) =>
    name.includes('{i}') ? Array.from({ length: layers }, (_, i) => name.replace('{i}', String(i))) : [name],
  );
}

/** What each family can be asked to do. */
const CAPABILITIES: Record<ModelFamily, Capability[]> = {
  'blip-vqa': ['caption', 'answer'],
  'blip-caption': ['caption'],
};

/** The tasks a family's parts support. */
export function capabilitiesOf(family: ModelFamily): Capability[] {
  return [...CAPABILITIES[family]];
}
