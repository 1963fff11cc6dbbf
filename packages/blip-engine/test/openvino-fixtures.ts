// The binding's test models and their NumPy reference (models/fixtures/binding, made by make_binding_model.py).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ElementType, TensorData } from '../src/openvino/element-type.js';
import { float16Array } from '../src/openvino/float16.js';
import { Tensor } from '../src/openvino/tensor.js';

/** Folder of the fixture models. */
export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../models/fixtures/binding');

/** Path of one fixture model's .xml: 'linear' | 'ids' | 'types' | 'heavy'. */
export function fixtureModel(name: string): string {
  return join(FIXTURE_DIR, `${name}.xml`);
}

/** One array as the reference file stores it. */
export interface JsonArray {
  dtype: string;
  shape: number[];
  data: number[];
}

/** One recorded call: inputs and the outputs NumPy computed. */
export interface ReferenceCase {
  inputs: Record<string, JsonArray>;
  outputs: Record<string, JsonArray>;
}

/** The whole reference file. */
export interface Reference {
  tolerance: { f32_abs: number };
  linear: ReferenceCase[];
  ids: ReferenceCase[];
  types: ReferenceCase[];
}

/** Load golden/reference.json. */
export function loadReference(): Reference {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, 'golden', 'reference.json'), 'utf8')) as Reference;
}

const DTYPES: Record<string, ElementType> = {
  float32: 'f32',
  float16: 'f16',
  int64: 'i64',
  int32: 'i32',
  uint8: 'u8',
};

/** A JSON array as the Tensor the binding takes (f16 converted to half-float bits, i64 to BigInt). */
export function tensorFromJson(a: JsonArray): Tensor {
  const type = DTYPES[a.dtype];
  if (!type) throw new Error(`fixture dtype ${a.dtype} not handled`);
  const data: Record<ElementType, () => TensorData> = {
    f32: () => Float32Array.from(a.data),
    f16: () => float16Array(a.data),
    i64: () => BigInt64Array.from(a.data, (v) => BigInt(v)),
    i32: () => Int32Array.from(a.data),
    u8: () => Uint8Array.from(a.data),
  } as Record<ElementType, () => TensorData>;
  return new Tensor(type, a.shape, data[type]());
}
