// Builds the GraphQL server (no listening here: tests can call yoga.fetch, main.ts and app.ts listen).
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createFetch } from '@whatwg-node/fetch';
import { GraphQLError, getOperationAST, type ValidationContext } from 'graphql';
import { createYoga, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import type { Context, Services } from './context.js';
import { GRAPHIQL_TABS } from './ops/graphiql.js';
import { type Caller, identifyCaller, ownerCookie } from './owner.js';
import { schema } from './schema/index.js';
import { MULTIPART_OVERHEAD_BYTES, useTypedErrors } from './typed-errors.js';

/** The header browsers must send on multipart uploads and GET requests (CSRF prevention). */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** What the WebSocket server passes in place of an HTTP request. */
export interface SocketContext {
  socketCaller: Caller;
  socketSignal: AbortSignal;
}

type InitialContext = YogaInitialContext & Partial<SocketContext>;

/** The yoga instance serving /graphql for these services. */
export function buildYoga(services: Services) {
  const { config, metrics } = services;
  const issued = new WeakMap<Request, string>();
  // Rejections are reported as validation errors (not thrown), so they reach the client with a code.
  const reject = { propagateOnRejection: false, onReject: [reportRejection] };
  const armor = new EnvelopArmor({
    maxDepth: { n: config.maxQueryDepth, ...reject },
    maxAliases: { n: config.maxAliases, ...reject },
    costLimit: { maxCost: config.maxCost, ...reject },
    maxTokens: { n: config.maxTokens },
    maxDirectives: { n: config.maxDirectives, ...reject },
    blockFieldSuggestion: { enabled: true },
  }).protect();

  const context = (initial: InitialContext): Context => {
    if (initial.socketCaller && initial.socketSignal) {
      return { owner: initial.socketCaller.owner, services, signal: initial.socketSignal };
    }
    const { request } = initial;
    const caller = identifyCaller(
      {
        authorization: request.headers.get('authorization'),
        ownerKey: request.headers.get('x-owner-key'),
        cookie: request.headers.get('cookie'),
      },
      config.ownerCookie,
    );
    if (caller.issuedKey) issued.set(request, caller.issuedKey);
    return { owner: caller.owner, services, signal: request.signal };
  };

  // Hands a freshly issued anonymous key to the browser, so its next requests are the same owner.
  const issueCookie: Plugin = {
    onResponse({ request, response }) {
      const key = issued.get(request);
      if (key) response.headers.append('set-cookie', ownerCookie(config.ownerCookie, key));
    },
  };

  const countOperations: Plugin = {
    onExecute({ args }) {
      const type = getOperationAST(args.document, args.operationName)?.operation ?? 'unknown';
      return {
        onExecuteDone({ result }) {
          const failed = 'errors' in result && (result.errors?.length ?? 0) > 0;
          metrics.operations.inc({ type, outcome: failed ? 'error' : 'ok' });
        },
      };
    },
    onSubscribe() {
      metrics.operations.inc({ type: 'subscription', outcome: 'started' });
    },
  };

  return createYoga<InitialContext, Context>({
    schema,
    context,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    batching: false,
    maskedErrors: { isDev: false },
    multipart: true,
    maxRequestBodySize: config.maxUploadBytes + MULTIPART_OVERHEAD_BYTES,
    // Uploads bigger than the limit are cut off while parsing, before they fill memory.
    fetchAPI: createFetch({
      formDataLimits: { fileSize: config.maxUploadBytes, files: 1, fields: 8, fieldSize: 1024 * 1024 },
    }),
    cors: {
      origin: config.webOrigins,
      credentials: true,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'x-owner-key', CSRF_HEADER, 'accept'],
    },
    graphiql: config.graphiql
      ? { title: 'BLIP visual question answering', defaultTabs: GRAPHIQL_TABS, subscriptionsProtocol: 'SSE' }
      : false,
    renderGraphiQL,
    plugins: [
      useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }),
      ...armor.plugins,
      useTypedErrors(config),
      issueCookie,
      countOperations,
    ],
  });
}

export type BlipYoga = ReturnType<typeof buildYoga>;

/** graphql-armor's rejection, reported on the validation context with a code. */
function reportRejection(ctx: ValidationContext | null, error: GraphQLError): void {
  ctx?.reportError(
    new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    }),
  );
}
