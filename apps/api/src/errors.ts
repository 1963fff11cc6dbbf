// Typed errors: every error a client sees carries `extensions.code` (and `field` when one input is to blame).
// Engine errors (BlipError) keep their code; anything unexpected is masked by yoga as INTERNAL_SERVER_ERROR.
import { GraphQLError } from 'graphql';

/** Machine-readable error kinds of the API, beside the engine's own codes. */
export const API_ERROR_CODES = [
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'INVALID_IMAGE',
  'IMAGE_TOO_LARGE',
  'INVALID_QUESTION',
  'INVALID_OPTIONS',
  'UNSUPPORTED_TASK',
  'CANCELLED',
  'OVERLOADED',
  'SHUTTING_DOWN',
  'UNAUTHENTICATED',
  'NOT_READY',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** An error meant for the client: its message is shown, its code and field go into the extensions. */
export class ApiError extends GraphQLError {
  constructor(code: ApiErrorCode, message: string, field?: string) {
    super(message, { extensions: field === undefined ? { code } : { code, field } });
  }
  get code(): ApiErrorCode {
    return this.extensions.code as ApiErrorCode;
  }
}

/** The engine's error shape, recognised by name so the API needs no second copy of the class. */
interface BlipErrorLike extends Error {
  code: string;
  field?: string | undefined;
}

/** True for errors thrown by @blip/engine. */
export function isBlipError(err: unknown): err is BlipErrorLike {
  return err instanceof Error && err.name === 'BlipError' && typeof (err as BlipErrorLike).code === 'string';
}

const CLIENT_CODES = new Set<string>(API_ERROR_CODES);

/** Turns whatever was thrown into an ApiError when it is the client's to see; anything else is rethrown for masking. */
export function toClientError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isBlipError(err) && CLIENT_CODES.has(err.code) && err.code !== 'INTERNAL_SERVER_ERROR') {
    return new ApiError(err.code as ApiErrorCode, err.message, err.field);
  }
  throw err;
}

/** The error for anything missing or not the caller's: the two must look the same. */
export function notFound(what: string, id: string, field?: string): ApiError {
  return new ApiError('NOT_FOUND', `${what} ${JSON.stringify(id)} not found`, field);
}
