import { BlipError } from '../errors.js';
import { DEFAULT_TEXT_LIMITS, type TextLimits } from './limits.js';
import { withinCodePoints } from './question.js';
import type { BlipTokenizer } from './tokenizer.js';

/**
 * A caption prompt → the decoder's first ids, as BlipForConditionalGeneration.generate makes them: tokenize with
 * `[CLS] … [SEP]`, replace [CLS] by the decoder start id, drop [SEP]. An empty prompt gives `[decoderStartId]`.
 * "a picture of" → [30522, 1037, 3861, 1997] with bert-base-uncased ids.
 */
export function encodePrompt(
  tokenizer: Pick<BlipTokenizer, 'encode'>,
  text: string,
  decoderStartId: number,
  limits: TextLimits = DEFAULT_TEXT_LIMITS,
): number[] {
  if (typeof text !== 'string')
    throw new BlipError('INVALID_OPTIONS', 'the caption prompt must be a string', { field: 'prompt' });
  if (!withinCodePoints(text, limits.maxQuestionChars)) {
    throw new BlipError(
      'INVALID_OPTIONS',
      `the caption prompt is longer than ${limits.maxQuestionChars} characters`,
      { field: 'prompt' },
    );
  }
  const ids = tokenizer.encode(text);
  if (ids.length > limits.maxQuestionTokens) {
    throw new BlipError(
      'INVALID_OPTIONS',
      `the caption prompt is ${ids.length} tokens; at most ${limits.maxQuestionTokens}`,
      { field: 'prompt' },
    );
  }
  return [decoderStartId, ...ids.slice(1, -1)];
}
