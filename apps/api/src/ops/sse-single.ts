// graphql-sse's "single connection mode" on /graphql itself (yoga serves the "distinct connections" mode there):
// PUT reserves a stream and returns its token; GET with the token is the event stream; POST with the token runs
// an operation on it; DELETE with the token completes one. Requests carrying the token (or a PUT) go to
// graphql-sse's own handler; the rest stay with yoga. Modelled on @graphql-yoga/plugin-graphql-sse, which
// can only serve another path (/graphql/stream), where stock clients configured with /graphql do not look.
import { getOperationAST } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/fetch';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import { identifyCaller } from '../owner.js';
import { checkVariables } from './input-limits.js';

const TOKEN_HEADER = 'x-graphql-event-stream-token';

/** True for a request of the single-connection protocol. */
function isSingleConnection(request: Request): boolean {
  if (request.method === 'PUT') return true;
  return request.headers.has(TOKEN_HEADER) || new URL(request.url).searchParams.has('token');
}

type Yoga = Parameters<NonNullable<Plugin['onYogaInit']>>[0]['yoga'];

/** The plugin. Operations run as the caller of the request that sent them; they end when the stream does. */
export function useSseSingleConnection(config: Config): Plugin {
  let handler: ((request: Request) => Promise<Response>) | undefined;
  const start = (yoga: Yoga) =>
    createHandler(
      {
        onSubscribe(req, params) {
          try {
            checkVariables(params.variables, config);
            const source = {
              authorization: req.raw.headers.get('authorization'),
              ownerKey: req.raw.headers.get('x-owner-key'),
              cookie: req.raw.headers.get('cookie'),
            };
            const socketCaller = identifyCaller(source, config.ownerCookie);
            // The POST that sent the operation ends at once (202): the stream's own end cancels it instead.
            const socketSignal = new AbortController().signal;
            const enveloped = yoga.getEnveloped({ request: req.raw, params, socketCaller, socketSignal });
            const document = enveloped.parse(params.query);
            const errors = enveloped.validate(enveloped.schema, document);
            if (errors.length > 0) return { errors };
            const operation = getOperationAST(document, params.operationName);
            const run = operation?.operation === 'subscription' ? enveloped.subscribe : enveloped.execute;
            return Promise.resolve(enveloped.contextFactory()).then((contextValue) =>
              run({
                schema: enveloped.schema,
                document,
                contextValue,
                variableValues: params.variables,
                operationName: params.operationName,
              }),
            );
          } catch (err) {
            if (err instanceof ApiError) return { errors: [err] };
            throw err;
          }
        },
      },
      yoga.fetchAPI,
    );
  return {
    onYogaInit({ yoga }) {
      handler = start(yoga);
    },
    onRequest({ request, endResponse }) {
      if (!handler || !isSingleConnection(request)) return;
      return handler(request).then(endResponse);
    },
  };
}
