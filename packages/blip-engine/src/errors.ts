import type { BlipErrorCode } from './types.js';

/** The one error type the engine throws: a code for programs, a message for people, the offending field if any. */
export class BlipError extends Error {
  readonly code: BlipErrorCode;
  readonly field: string | undefined;

  constructor(code: BlipErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'BlipError';
    this.code = code;
    this.field = options.field;
  }
}
