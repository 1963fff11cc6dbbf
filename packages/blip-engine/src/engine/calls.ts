// Small helpers every engine entry point shares: picking the generation settings out of a call's options,
// and running a stream to its done event.
import { BlipError } from '../errors.js';
import type { GenerationOptions, GenerationResult, StreamEvent } from '../types.js';

const GENERATION_FIELDS = [
  'strategy',
  'numBeams',
  'numReturnSequences',
  'lengthPenalty',
  'temperature',
  'topK',
  'topP',
  'seed',
  'repetitionPenalty',
  'minNewTokens',
  'maxNewTokens',
] as const;

/** Only the generation settings (null from GraphQL counts as not given). */
export function generationFields(options: GenerationOptions): GenerationOptions {
  const picked: Record<string, unknown> = {};
  for (const field of GENERATION_FIELDS) {
    const value = options[field];
    if (value !== undefined && value !== null) picked[field] = value;
  }
  return picked as GenerationOptions;
}

/** Runs a stream to its done event; an aborted signal rejects with CANCELLED. */
export async function collect(
  open: () => AsyncGenerator<StreamEvent, undefined, undefined>,
  signal: AbortSignal | undefined,
): Promise<GenerationResult> {
  if (signal?.aborted) throw new BlipError('CANCELLED', 'the call was cancelled before it started');
  for await (const event of open()) {
    if (event.type !== 'done') continue;
    if (event.result.finishReason === 'cancelled') throw new BlipError('CANCELLED', 'the call was cancelled');
    return event.result;
  }
  throw new BlipError('CANCELLED', 'the call was cancelled');
}
