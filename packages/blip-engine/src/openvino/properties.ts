// compileModel properties: validated here for the keys the engine relies on, passed to OpenVINO as key/value strings.
import { invalid } from './errors.js';

/** Properties accepted by compileModel; unknown keys are passed through and OpenVINO judges them. */
export interface CompileProperties {
  /** Optimise for one request at a time ('LATENCY') or many ('THROUGHPUT'). */
  PERFORMANCE_HINT?: 'LATENCY' | 'THROUGHPUT' | 'CUMULATIVE_THROUGHPUT';
  /** Parallel execution streams, or 'AUTO'. */
  NUM_STREAMS?: number | 'AUTO';
  /** CPU threads for inference (0 = OpenVINO decides). */
  INFERENCE_NUM_THREADS?: number;
  /** Folder for compiled-blob caching; faster second compile. */
  CACHE_DIR?: string;
  /** Arithmetic precision: this CPU defaults to 'bf16'; token-exact results need 'f32'. */
  INFERENCE_PRECISION_HINT?: 'f32' | 'bf16' | 'f16';
  [key: string]: string | number | boolean | undefined;
}

const CHOICES: Record<string, readonly string[]> = {
  PERFORMANCE_HINT: ['LATENCY', 'THROUGHPUT', 'CUMULATIVE_THROUGHPUT'],
  INFERENCE_PRECISION_HINT: ['f32', 'bf16', 'f16'],
};

/** Check one known key; throws an INVALID_ARGUMENT error naming key, rule and value. */
function validateProperty(key: string, value: string | number | boolean, operation: string): void {
  const choices = CHOICES[key];
  if (choices && !choices.includes(String(value))) {
    throw invalid(
      operation,
      `property ${key} must be one of ${choices.join(' | ')}, got ${JSON.stringify(value)}`,
    );
  }
  const isCount = key === 'NUM_STREAMS' || key === 'INFERENCE_NUM_THREADS';
  const countOk =
    typeof value === 'number' && Number.isSafeInteger(value) && value >= (key === 'NUM_STREAMS' ? 1 : 0);
  if (isCount && !countOk && !(key === 'NUM_STREAMS' && value === 'AUTO')) {
    throw invalid(
      operation,
      `property ${key} must be a ${key === 'NUM_STREAMS' ? 'positive integer or AUTO' : 'non-negative integer'}, got ${JSON.stringify(value)}`,
    );
  }
}

/** Properties as the ov_property_t array the C API takes (booleans as YES/NO, numbers as decimal text). */
export function toNativeProperties(
  props: CompileProperties,
  operation: string,
): { key: string; value: string }[] {
  const list: { key: string; value: string }[] = [];
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    validateProperty(key, value, operation);
    list.push({ key, value: typeof value === 'boolean' ? (value ? 'YES' : 'NO') : String(value) });
  }
  return list;
}
