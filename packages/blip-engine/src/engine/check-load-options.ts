// Blip.load options are checked before anything is read or compiled: a bad setting names itself.
import { BlipError } from '../errors.js';
import { INFERENCE_PRECISIONS, type LoadOptions } from './load-options.js';

const INTEGER_RULES: [keyof LoadOptions, number][] = [
  ['concurrency', 1],
  ['maxQueue', 0],
  ['imageCacheSize', 0],
  ['preparedCacheSize', 0],
  ['numStreams', 1],
  ['numThreads', 0],
];

/** Throws BlipError('INVALID_OPTIONS', …, {field}) for the first bad load option. */
export function checkLoadOptions(options: LoadOptions): void {
  for (const [field, min] of INTEGER_RULES) {
    const value = options[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new BlipError(
        'INVALID_OPTIONS',
        `${field} must be an integer >= ${min} (got ${JSON.stringify(value)})`,
        {
          field,
        },
      );
    }
  }
  const precision = options.inferencePrecision;
  if (precision !== undefined && !INFERENCE_PRECISIONS.includes(precision)) {
    throw new BlipError(
      'INVALID_OPTIONS',
      `inferencePrecision must be 'auto', 'f32' or 'bf16' (got ${JSON.stringify(precision)})`,
      {
        field: 'inferencePrecision',
      },
    );
  }
  const hint = options.performanceHint;
  if (hint !== undefined && hint !== 'LATENCY' && hint !== 'THROUGHPUT') {
    throw new BlipError(
      'INVALID_OPTIONS',
      `performanceHint must be 'LATENCY' or 'THROUGHPUT' (got ${JSON.stringify(hint)})`,
      {
        field: 'performanceHint',
      },
    );
  }
}
