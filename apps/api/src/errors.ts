// The error contract: every code the server sends, what it means and its one HTTP status. The GraphQL
// `ErrorCode` enum, the README's error table and the status of every response are all made from this table.
// Engine errors (BlipError) keep their code; anything unexpected is masked by yoga as INTERNAL_SERVER_ERROR.
import { GraphQLError } from 'graphql';

/** One code: the HTTP status of a response that carries it (when HTTP applies) and what it means. */
export interface ErrorCodeDoc {
  status: number;
  doc: string;
}

// 200 means "the error is in the body; other fields of the operation may still have data" (GraphQL over HTTP).
// Codes with another status are about the whole request. When errors disagree, the highest status wins.
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, doc: 'The HTTP request is not a GraphQL request this server can read.' },
  GRAPHQL_PARSE_FAILED: {
    status: 400,
    doc: 'The document does not parse (or has more tokens than allowed).',
  },
  GRAPHQL_VALIDATION_FAILED: {
    status: 400,
    doc: 'The document does not validate against the schema, or crosses a depth, alias, cost or directive limit.',
  },
  OPERATION_RESOLUTION_FAILURE: {
    status: 400,
    doc: 'operationName names no operation of the document, or it has several and none is named.',
  },
  UNAUTHENTICATED: {
    status: 401,
    doc: 'The Authorization header or x-owner-key is malformed (a malformed cookie is ignored instead).',
  },
  CSRF_HEADER_MISSING: {
    status: 403,
    doc: 'A multipart upload or a form-like request came without the header x-graphql-yoga-csrf.',
  },
  METHOD_NOT_ALLOWED: { status: 405, doc: 'Mutations need POST (or a WebSocket).' },
  NOT_ACCEPTABLE: {
    status: 406,
    doc: 'The Accept header allows no form this operation can be sent in (subscriptions stream: send Accept: text/event-stream, or use the WebSocket).',
  },
  REQUEST_ENTITY_TOO_LARGE: { status: 413, doc: 'The request body is larger than the server reads.' },
  IMAGE_TOO_LARGE: {
    status: 413,
    doc: 'The image file, its pixel count or one of its sides is over the limit (see `limits`).',
  },
  TOO_MANY_GENERATIONS: {
    status: 400,
    doc: 'One operation asks for more captions/answers than one caller may run at once (limits.maxGenerationsPerOperation); nothing ran. Send them one by one.',
  },
  OVERLOADED: {
    status: 429,
    doc: 'The generation queue is full; nothing ran. Retry-After says when to try again.',
  },
  NOT_READY: { status: 503, doc: 'The models are still loading. Retry-After says when to try again.' },
  SHUTTING_DOWN: { status: 503, doc: 'The server is stopping. Retry-After says when to try again.' },
  NOT_FOUND: { status: 200, doc: 'No such object, or it is not the caller’s (the two look the same).' },
  BAD_USER_INPUT: {
    status: 200,
    doc: 'An argument is out of range or malformed; `extensions.field` names it.',
  },
  INVALID_IMAGE: { status: 200, doc: 'The file is not an image the server decodes.' },
  IMAGE_IN_USE: { status: 200, doc: 'deleteImage: conversations still use the image; delete them first.' },
  INVALID_QUESTION: { status: 200, doc: 'The question is empty or longer than the limits in `limits`.' },
  INVALID_OPTIONS: {
    status: 200,
    doc: 'A generation option is out of its range (see `limits.options`); `extensions.field` names it.',
  },
  UNSUPPORTED_TASK: {
    status: 200,
    doc: 'The chosen model cannot do this (a captioning model asked a question).',
  },
  CANCELLED: {
    status: 200,
    doc: 'The turn was cancelled (cancelTurn, the caller left, or its conversation was deleted).',
  },
  INTERNAL_SERVER_ERROR: { status: 500, doc: 'Something failed inside the server; the message is masked.' },
} as const satisfies Record<string, ErrorCodeDoc>;

export type ApiErrorCode = keyof typeof ERROR_CODES;
export const API_ERROR_CODES = Object.keys(ERROR_CODES) as ApiErrorCode[];

/** The HTTP status for a code (unknown codes are a server bug: 500). */
export function statusOf(code: unknown): number {
  return typeof code === 'string' && code in ERROR_CODES ? ERROR_CODES[code as ApiErrorCode].status : 500;
}

/** An error meant for the client: its message is shown, its code and field go into the extensions. */
export class ApiError extends GraphQLError {
  constructor(code: ApiErrorCode, message: string, field?: string) {
    super(message, { extensions: field === undefined ? { code } : { code, field } });
  }
  get code(): ApiErrorCode {
    return this.extensions.code as ApiErrorCode;
  }
}

/** A copy of `error` (location, path, cause kept) with these extensions: GraphQLError's are read-only. */
export function withExtensions(error: GraphQLError, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
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
