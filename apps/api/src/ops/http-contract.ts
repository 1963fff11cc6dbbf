// The HTTP side of the error contract and the headers every /graphql response carries: one status per code
// (errors.ts), Retry-After on 429/503, a JSON body (not an empty 406) when the Accept header fits no form of
// the result, CORS for configured origins only (never `null`) with Vary: Origin, nosniff and no caching.
import type { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { type ApiErrorCode, ERROR_CODES, statusOf, withExtensions } from '../errors.js';

/** Codes for errors yoga raises with a status but no (or a shared) code. */
const CODE_OF_STATUS: Record<number, ApiErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'REQUEST_ENTITY_TOO_LARGE',
};

interface HttpExtension {
  status?: number;
  headers?: Record<string, string>;
}

/** The error's code in the contract: its own when the table knows it, else the one its HTTP status implies. */
export function contractCode(error: GraphQLError): ApiErrorCode {
  const code = error.extensions?.code;
  const http = error.extensions?.http as HttpExtension | undefined;
  const byStatus = http?.status === undefined ? undefined : CODE_OF_STATUS[http.status];
  // yoga sends BAD_REQUEST for a mutation over GET with status 405: the status says what happened.
  if (code === 'BAD_REQUEST' && byStatus === 'METHOD_NOT_ALLOWED') return byStatus;
  if (typeof code === 'string' && code in ERROR_CODES) return code as ApiErrorCode;
  return byStatus ?? 'INTERNAL_SERVER_ERROR';
}

/**
 * Set by the load balancer (deploy/haproxy/haproxy.cfg) on every request it forwards: HAProxy 2.6 can retry another
 * replica on a 503 but not on a 429, so behind it OVERLOADED is sent as 503 marked `x-blip-code: OVERLOADED`, and the
 * balancer turns the final answer back into the contract's 429 when the retry is refused too.
 */
export const PROXY_RETRY_HEADER = 'x-blip-proxy-retry';

/** The same error with the contract's code and HTTP status (and Retry-After when the status asks for a wait). */
function withStatus(error: GraphQLError, config: Config, proxyRetry: boolean): GraphQLError {
  const code = contractCode(error);
  const retryElsewhere = proxyRetry && code === 'OVERLOADED';
  const status = retryElsewhere ? 503 : statusOf(code);
  const own = (error.extensions?.http as HttpExtension | undefined)?.headers ?? {};
  const marked = retryElsewhere ? { ...own, 'x-blip-code': code } : own;
  const headers: Record<string, string> =
    status === 429 || status === 503
      ? { ...marked, 'Retry-After': String(config.retryAfterSeconds) }
      : marked;
  return withExtensions(error, { ...error.extensions, code, http: { status, headers } });
}

const notAcceptable = (accept: string) =>
  JSON.stringify({
    errors: [
      {
        message: `subscriptions are streamed: send Accept: text/event-stream (or use the WebSocket); got Accept: ${accept}`,
        extensions: { code: 'NOT_ACCEPTABLE' },
      },
    ],
  });

/** The yoga plugin: statuses, the 406 body, and the headers of every /graphql response. */
export function useHttpContract(config: Config): Plugin {
  return {
    onResultProcess({ request, result, setResult, resultProcessor, setResultProcessor }) {
      if (isAsyncIterable(result)) {
        if (resultProcessor) return;
        const accept = request.headers.get('accept') ?? '*/*';
        setResultProcessor(
          (_result, fetchAPI) =>
            new fetchAPI.Response(notAcceptable(accept), {
              status: 406,
              // graphql-response+json: clients that follow GraphQL over HTTP (Apollo 4) read the errors of a non-2xx.
              headers: {
                'content-type': 'application/graphql-response+json; charset=utf-8',
                accept: 'text/event-stream',
              },
            }),
          'application/json',
        );
        return;
      }
      if (Array.isArray(result) || !result.errors?.length) return;
      const proxyRetry = request.headers.get(PROXY_RETRY_HEADER) === '1';
      setResult({
        ...result,
        errors: result.errors.map((e) => withStatus(e as GraphQLError, config, proxyRetry)),
      });
    },
    onResponse({ response }) {
      const h = response.headers;
      h.set('x-content-type-options', 'nosniff');
      h.set('referrer-policy', 'no-referrer');
      if (!h.has('cache-control')) h.set('cache-control', 'no-store');
      // CORS answers depend on Origin: caches must keep them apart.
      h.append('vary', 'Origin');
      if (h.get('content-type')?.startsWith('text/html')) {
        // GraphiQL: its own inline script and styles only, and never inside another site's frame.
        h.set(
          'content-security-policy',
          "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        );
        h.set('x-frame-options', 'DENY');
      }
    },
  };
}

/** yoga's `cors` option: configured origins get CORS headers with credentials; others (and `null`) get none. */
export function corsFor(config: Config) {
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (!origin || !config.webOrigins.includes(origin)) return false as const;
    return {
      origin,
      credentials: true,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'x-owner-key', 'x-graphql-yoga-csrf', 'accept'],
    };
  };
}
