// Engine and Blip.load settings are checked with one zod schema before anything is read or compiled: a typo
// in a name, a wrong type or an out-of-range value is INVALID_OPTIONS naming the setting (limits included).
import { z } from 'zod';
import { BlipError } from '../errors.js';
import { INFERENCE_PRECISIONS } from './load-options.js';

const int = (min: number) => z.number().int().min(min).optional();

/** Every setting the engine takes (LoadOptions plus loadEngine's own), nothing else. */
const SETTINGS = z.strictObject({
  models: z.array(z.string().min(1)).min(1).optional(),
  maxGenerationsPerCall: int(1),
  device: z.string().min(1).optional(),
  inferencePrecision: z.enum(INFERENCE_PRECISIONS).optional(),
  performanceHint: z.enum(['LATENCY', 'THROUGHPUT']).optional(),
  numStreams: int(1),
  dynamicQuantizationGroupSize: int(0),
  numThreads: int(0),
  cacheDir: z.string().min(1).optional(),
  concurrency: int(1),
  batching: z.boolean().optional(),
  serialInference: z.boolean().optional(),
  maxQueue: int(0),
  imageCacheSize: int(0),
  preparedCacheSize: int(0),
  verifyHashes: z.boolean().optional(),
  limits: z
    .strictObject({
      maxInputBytes: int(1),
      maxPixels: int(1),
      maxDimension: int(1),
      maxQuestionChars: int(1),
      maxQuestionTokens: int(3), // [CLS], one word, [SEP]
      maxConcurrentDecodes: int(1),
      decodeMemoryBytes: int(1),
    })
    .optional(),
});

/** Throws BlipError('INVALID_OPTIONS', …, {field}) for the first bad setting. */
export function checkLoadOptions(options: unknown): void {
  const parsed = SETTINGS.safeParse(options);
  if (parsed.success) return;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const path = [...issue.path, ...(unknown ? [unknown] : [])].join('.');
  const field = path || 'options';
  const message = unknown
    ? `${field} is not an engine setting`
    : `${field}: ${issue.message} (got ${gotText(options, issue.path)})`;
  throw new BlipError('INVALID_OPTIONS', message, { field });
}

/** The offending value as JSON, for the message. */
function gotText(options: unknown, path: readonly PropertyKey[]): string {
  let value: unknown = options;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  return JSON.stringify(value) ?? String(value);
}
