// manifest.json → a typed Manifest, validated with ajv against models/manifest.schema.json (the one rulebook
// the toolchain also writes by); a wrong field is a MODEL_INVALID error naming it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
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
  /** With the image-text parts only: D, the length of the image and text feature vectors. */
  image_text?: { feature_size: number };
  /** What an answer's decoder cross-attends to (optional; absent = 'question', as Hugging Face's BLIP VQA). */
  answer_memory?: 'question' | 'question+image';
  /** Below this confidence an answer should be shown as unsure (optional). */
  confidence_threshold?: number;
}

/** The manifest's optional `card` block (snake_case as written in manifest.json). */
export interface ManifestCard {
  summary: string;
  question_types: { name: string; examples: string[] }[];
  outside_answer: string | null;
}

const SCHEMA_PATH = resolve(import.meta.dirname, '../../../../models/manifest.schema.json');
let validator: ValidateFunction | null = null;

/** The compiled schema, once per process (the same file the Python toolchain validates with when it writes). */
function validate(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
  }
  return validator;
}

/** Checks the parsed JSON of manifest.json against models/manifest.schema.json; MODEL_INVALID names the first bad field. */
export function parseManifest(json: unknown, where: string): Manifest {
  const check = validate();
  if (check(json)) return checkAnswerMemory(json as Manifest, where);
  const [error] = check.errors ?? [];
  const { field, rule } = error ? describe(error) : { field: 'manifest', rule: 'is invalid' };
  throw new BlipError('MODEL_INVALID', `${where}: manifest field ${field} ${rule}`, { field });
}

/** The one rule the schema cannot state: an answer's memory joins question and image states, so they must be as wide. */
function checkAnswerMemory(manifest: Manifest, where: string): Manifest {
  const { vision, decoder } = manifest;
  if (manifest.answer_memory === 'question+image' && vision.hidden !== decoder.hidden) {
    throw new BlipError(
      'MODEL_INVALID',
      `${where}: manifest field answer_memory is question+image, but vision.hidden (${vision.hidden}) and decoder.hidden (${decoder.hidden}) differ`,
      { field: 'answer_memory' },
    );
  }
  return manifest;
}

/** An ajv error as "field rule", in the words of MODEL_FOLDER.md. */
function describe(error: ErrorObject): { field: string; rule: string } {
  const at = error.instancePath.slice(1).replaceAll('/', '.');
  const under = (name: string) => (at ? `${at}.${name}` : name);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { field: under(String(params.missingProperty)), rule: 'is missing' };
    case 'additionalProperties':
      return {
        field: under(String(params.additionalProperty)),
        rule: 'is not a manifest field (models/manifest.schema.json)',
      };
    case 'const':
      return { field: at, rule: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'enum':
      return { field: at, rule: `must be one of ${(params.allowedValues as unknown[]).join(', ')}` };
    default:
      return { field: at || 'manifest', rule: error.message ?? 'is invalid' };
  }
}
