// Element types: OpenVINO's ov_element_type_e values, their names (as openvino-node spells them), and the JS
// TypedArray that holds each one. f16 and bf16 live in Uint16Array (raw bits), boolean in Uint8Array.

/** Element type names the binding can wrap. */
export type ElementType =
  | 'f32'
  | 'f16'
  | 'bf16'
  | 'f64'
  | 'i8'
  | 'i16'
  | 'i32'
  | 'i64'
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 'boolean';

/** Any TypedArray a Tensor may wrap. */
export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

type ArrayCtor = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData;
  name: string;
};

interface ElementInfo {
  /** ov_element_type_e value (openvino/c/ov_common.h). */
  code: number;
  bytes: number;
  array: ArrayCtor;
}

const INFO: Record<ElementType, ElementInfo> = {
  boolean: { code: 1, bytes: 1, array: Uint8Array },
  bf16: { code: 2, bytes: 2, array: Uint16Array },
  f16: { code: 3, bytes: 2, array: Uint16Array },
  f32: { code: 4, bytes: 4, array: Float32Array },
  f64: { code: 5, bytes: 8, array: Float64Array },
  i8: { code: 7, bytes: 1, array: Int8Array },
  i16: { code: 8, bytes: 2, array: Int16Array },
  i32: { code: 9, bytes: 4, array: Int32Array },
  i64: { code: 10, bytes: 8, array: BigInt64Array },
  u8: { code: 16, bytes: 1, array: Uint8Array },
  u16: { code: 17, bytes: 2, array: Uint16Array },
  u32: { code: 18, bytes: 4, array: Uint32Array },
  u64: { code: 19, bytes: 8, array: BigUint64Array },
};

const BY_CODE = new Map<number, ElementType>(
  Object.entries(INFO).map(([name, info]) => [info.code, name as ElementType]),
);

/** OpenVINO names for codes we cannot wrap, so that port descriptors still read well. */
const OTHER_NAMES: Record<number, string> = {
  0: 'dynamic',
  6: 'i4',
  11: 'u1',
  14: 'u4',
  20: 'nf4',
  23: 'string',
};

/** True when `name` is an element type the binding can wrap. */
export function isElementType(name: string): name is ElementType {
  return Object.hasOwn(INFO, name);
}

/** Facts about one element type: C code, bytes per element, TypedArray class. */
export function elementInfo(type: ElementType): ElementInfo {
  return INFO[type];
}

/** Element type name for an ov_element_type_e value; exotic types get OpenVINO's name (e.g. 'u4') or 'code:N'. */
export function elementTypeName(code: number): ElementType | string {
  return BY_CODE.get(code) ?? OTHER_NAMES[code] ?? `code:${code}`;
}

/** The wrappable element type for a code, or undefined when JS has no array for it. */
export function elementTypeOf(code: number): ElementType | undefined {
  return BY_CODE.get(code);
}

/** Whether a TypedArray is the right class for an element type (Uint16Array for f16/bf16, Uint8Array for boolean). */
export function arrayFits(type: ElementType, data: TensorData): boolean {
  return data instanceof INFO[type].array && data.constructor === INFO[type].array;
}
