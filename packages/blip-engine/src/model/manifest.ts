// manifest.json → a typed Manifest. The engine trusts nothing the manifest does not state, so every field
// it uses is checked here and a wrong one is a MODEL_INVALID error naming the field.
import { BlipError } from '../errors.js';
import type { GenerationDefaults } from '../generate/options.js';
import type { ModelFamily, PartPrecision } from '../types.js';
import type { PartName } from './parts.js';

export interface PartFiles {
  xml: string;
  bin: string;
  precision: PartPrecision;
}

/** The manifest fields the engine uses (models/MODEL_FOLDER.md). */
export interface Manifest {
  format: 1;
  name: string;
  family: ModelFamily;
  source: string;
  image: { size: number; resample: string; rescale_factor: number; mean: number[]; std: number[] };
  tokens: { decoder_start: number; eos: number; pad: number; vocab_size: number };
  vision: { tokens: number; hidden: number };
  decoder: { layers: number; heads: number; head_size: number; hidden: number; max_positions: number };
  generation: GenerationDefaults;
  caption_prompt: string | null;
  parts: Partial<Record<PartName, PartFiles>>;
  files: Record<string, string>;
  /** What the model knows, for people (optional). */
  card?: ManifestCard;
  /** Below this confidence an answer should be shown as unsure (optional). */
  confidence_threshold?: number;
}

/** The manifest's optional `card` block (snake_case as written in manifest.json). */
export interface ManifestCard {
  summary: string;
  question_types: { name: string; examples: string[] }[];
  outside_answer: string | null;
}

const FAMILIES: readonly ModelFamily[] = ['blip-vqa', 'blip-caption'];
const PRECISIONS: readonly PartPrecision[] = ['fp32', 'fp16', 'int8'];

/** Checks the parsed JSON of manifest.json field by field; throws BlipError('MODEL_INVALID') on the first problem. */
export function parseManifest(json: unknown, where: string): Manifest {
  const m = object(json, 'manifest', where);
  if (m.format !== 1)
    invalid(where, 'format', `must be 1 (this engine reads format 1), got ${JSON.stringify(m.format)}`);
  if (!FAMILIES.includes(m.family as ModelFamily)) {
    invalid(where, 'family', `must be one of ${FAMILIES.join(', ')}, got ${JSON.stringify(m.family)}`);
  }
  for (const field of ['name', 'source'])
    if (typeof m[field] !== 'string') invalid(where, field, 'must be a string');
  const image = object(m.image, 'image', where);
  integers(image, 'image', ['size'], where);
  for (const key of ['mean', 'std']) {
    const v = image[key];
    if (!Array.isArray(v) || v.length !== 3 || !v.every(Number.isFinite))
      invalid(where, `image.${key}`, 'must be 3 numbers');
  }
  integers(object(m.tokens, 'tokens', where), 'tokens', ['decoder_start', 'eos', 'pad', 'vocab_size'], where);
  integers(object(m.vision, 'vision', where), 'vision', ['tokens', 'hidden'], where);
  integers(
    object(m.decoder, 'decoder', where),
    'decoder',
    ['layers', 'heads', 'head_size', 'hidden', 'max_positions'],
    where,
  );
  const generation = object(m.generation, 'generation', where);
  integers(generation, 'generation', ['max_length', 'min_length', 'num_beams'], where);
  for (const key of ['repetition_penalty', 'length_penalty']) {
    if (!Number.isFinite(generation[key])) invalid(where, `generation.${key}`, 'must be a number');
  }
  if (m.caption_prompt !== null && typeof m.caption_prompt !== 'string') {
    invalid(where, 'caption_prompt', 'must be a string or null');
  }
  checkParts(object(m.parts, 'parts', where), where);
  checkFiles(object(m.files, 'files', where), where);
  return m as unknown as Manifest;
}

function checkParts(parts: Record<string, unknown>, where: string): void {
  for (const [name, value] of Object.entries(parts)) {
    const part = object(value, `parts.${name}`, where);
    for (const key of ['xml', 'bin']) {
      if (typeof part[key] !== 'string') invalid(where, `parts.${name}.${key}`, 'must be a file name');
    }
    if (!PRECISIONS.includes(part.precision as PartPrecision)) {
      invalid(where, `parts.${name}.precision`, `must be one of ${PRECISIONS.join(', ')}`);
    }
  }
}

function checkFiles(files: Record<string, unknown>, where: string): void {
  for (const [file, hash] of Object.entries(files)) {
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash))
      invalid(where, `files.${file}`, 'must be a sha256 hex');
  }
}

function object(value: unknown, field: string, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    invalid(where, field, 'must be an object');
  return value as Record<string, unknown>;
}

function integers(block: Record<string, unknown>, name: string, keys: string[], where: string): void {
  for (const key of keys) {
    const v = block[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      invalid(where, `${name}.${key}`, 'must be an integer >= 0');
  }
}

function invalid(where: string, field: string, rule: string): never {
  throw new BlipError('MODEL_INVALID', `${where}: manifest field ${field} ${rule}`, { field });
}
