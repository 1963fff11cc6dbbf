import { BlipError } from '../errors.js';
import { DEFAULT_TEXT_LIMITS, type TextLimits } from './limits.js';
import type { BlipTokenizer } from './tokenizer.js';

/**
 * A question → token ids `[CLS] … [SEP]` exactly as BlipProcessor makes them (no truncation, no padding).
 * Empty, whitespace-only, over-long or word-less questions are INVALID_QUESTION errors with field 'question'.
 */
export function encodeQuestion(
  tokenizer: Pick<BlipTokenizer, 'encode'>,
  text: unknown,
  limits: TextLimits = DEFAULT_TEXT_LIMITS,
): number[] {
  const fail = (message: string): never => {
    throw new BlipError('INVALID_QUESTION', message, { field: 'question' });
  };
  if (typeof text !== 'string')
    return fail(`the question must be a string, got ${text === null ? 'null' : typeof text}`);
  if (text.trim() === '') return fail('the question is empty');
  if (!withinCodePoints(text, limits.maxQuestionChars)) {
    return fail(
      `the question has more than ${limits.maxQuestionChars} characters; at most ${limits.maxQuestionChars} are accepted`,
    );
  }
  const ids = tokenizer.encode(text);
  if (ids.length <= 2)
    return fail('the question has no words the model can read (only spaces or control characters)');
  if (ids.length > limits.maxQuestionTokens) {
    return fail(
      `the question is ${ids.length} tokens long; at most ${limits.maxQuestionTokens} are accepted (shorten it)`,
    );
  }
  return ids;
}

/** Whether text has at most `max` code points; stops counting at max + 1, so a huge string costs nothing. */
export function withinCodePoints(text: string, max: number): boolean {
  if (text.length <= max) return true;
  let count = 0;
  for (const _ of text) if (++count > max) return false;
  return true;
}
