// Builds the GraphQL server (no listening here: tests can call yoga.fetch, main.ts and app.ts listen).
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createFetch } from '@whatwg-node/fetch';
import { createYoga } from 'graphql-yoga';
import { callerContext, type InitialContext } from './caller-context.js';
import type { Context, Services } from './context.js';
import { armorPlugins } from './ops/armor.js';
import { GRAPHIQL_TABS } from './ops/graphiql.js';
import { useOperationMetrics } from './ops/operation-metrics.js';
import { schema } from './schema/index.js';
import { MULTIPART_OVERHEAD_BYTES, useTypedErrors, withCsrfCode } from './typed-errors.js';

export type { SocketContext } from './caller-context.js';

/** The header browsers must send on multipart uploads and GET requests (CSRF prevention). */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** The yoga instance serving /graphql for these services. */
export function buildYoga(services: Services) {
  const { config } = services;
  const { context, issueCookie } = callerContext(services);
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
      withCsrfCode(useCSRFPrevention({ requestHeaders: [CSRF_HEADER] })),
      ...armorPlugins(config),
      useTypedErrors(config),
      issueCookie,
      useOperationMetrics(services.metrics),
    ],
  });
}

export type BlipYoga = ReturnType<typeof buildYoga>;
