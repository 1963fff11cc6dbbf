// Shapes across the C boundary: ov_shape_t (static dims) and ov_partial_shape_t (dims that may be dynamic).
import koffi from 'koffi';
import { openvino } from './native.js';

/** One dimension of a partial shape: a size, or -1 when dynamic (any bounds are kept in PartialShape.text). */
export type Dim = number;

/** A port's shape as the model declares it. */
export interface PartialShape {
  /** Each dimension, -1 when dynamic; empty when even the rank is dynamic (see `rankDynamic`). */
  dims: Dim[];
  rankDynamic: boolean;
  /** Readable form, OpenVINO style: "[?,3,1..8,384]". */
  text: string;
}

/** An ov_shape_t to pass by value; `dims` points into the BigInt64Array, which OpenVINO copies during the call. */
export function shapeStruct(shape: readonly number[]): { rank: number; dims: BigInt64Array } {
  return { rank: shape.length, dims: BigInt64Array.from(shape, (d) => BigInt(d)) };
}

/** Read then free an ov_shape_t that OpenVINO filled in. */
export function takeShape(shape: { rank: number | bigint; dims: unknown }): number[] {
  const rank = Number(shape.rank);
  const dims =
    rank > 0 && shape.dims ? (koffi.decode(shape.dims, 'int64_t', rank) as (number | bigint)[]) : [];
  openvino().ov_shape_free(shape);
  return dims.map(Number);
}

interface DimStruct {
  min: number | bigint;
  max: number | bigint;
}

/** Text of one dimension: "5", "?", or "1..8" for a bounded dynamic one. */
function dimText(d: DimStruct): string {
  const min = Number(d.min);
  const max = Number(d.max);
  if (min === max) return String(min);
  if (max === -1 && min <= 0) return '?';
  return `${min}..${max === -1 ? '' : max}`;
}

/** Read then free an ov_partial_shape_t that OpenVINO filled in. */
export function takePartialShape(ps: { rank: DimStruct; dims: unknown }): PartialShape {
  const rankDynamic = Number(ps.rank.min) !== Number(ps.rank.max);
  const rank = rankDynamic ? 0 : Number(ps.rank.max);
  const raw = rank > 0 && ps.dims ? (koffi.decode(ps.dims, 'ov_dimension_t', rank) as DimStruct[]) : [];
  openvino().ov_partial_shape_free(ps);
  const dims = raw.map((d) => (Number(d.min) === Number(d.max) ? Number(d.min) : -1));
  const text = rankDynamic ? '[...]' : `[${raw.map(dimText).join(',')}]`;
  return { dims, rankDynamic, text };
}

/** Element count of a static shape. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}
