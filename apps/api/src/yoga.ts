// Builds the GraphQL server (no listening here: tests can call yoga.fetch, main.ts and app.ts listen).
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createFetch } from '@whatwg-node/fetch';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { callerContext, type InitialContext } from './caller-context.js';
import type { Context, Services } from './context.js';
import { useOperationAdmission } from './ops/admission.js';
import { armorPlugins } from './ops/armor.js';
import { CSRF_HEADER, useCsrf } from './ops/csrf.js';
import { GRAPHIQL_TABS } from './ops/graphiql.js';
import { corsFor, useHttpContract } from './ops/http-contract.js';
import { useInputLimits } from './ops/input-limits.js';
import { useOperationMetrics } from './ops/operation-metrics.js';
import { useRequestLog, yogaLogger } from './ops/request-log.js';
import { useSseSingleConnection } from './ops/sse-single.js';
import { schema } from './schema/index.js';
import { MULTIPART_OVERHEAD_BYTES, useTypedErrors } from './typed-errors.js';

export type { SocketContext } from './caller-context.js';
export { CSRF_HEADER };

/** Introspection refused when the setting turns it off (suggestions are stripped by useTypedErrors then too). */
const noIntrospection: Plugin = {
  onValidate({ addValidationRule }) {
    addValidationRule(NoSchemaIntrospectionCustomRule);
  },
};

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
    logging: yogaLogger(services.log),
    multipart: true,
    maxRequestBodySize: config.maxUploadBytes + MULTIPART_OVERHEAD_BYTES,
    // Uploads bigger than the limit are cut off while parsing, before they fill memory.
    fetchAPI: createFetch({
      formDataLimits: {
        fileSize: config.maxUploadBytes,
        files: 1,
        fields: 8,
        fieldSize: config.maxBodyBytes,
      },
    }),
    cors: corsFor(config),
    graphiql: config.graphiql
      ? { title: 'BLIP visual question answering', defaultTabs: GRAPHIQL_TABS, subscriptionsProtocol: 'SSE' }
      : false,
    renderGraphiQL,
    plugins: [
      useCsrf(config),
      ...armorPlugins(config),
      ...(config.introspection ? [] : [noIntrospection]),
      useInputLimits(config),
      useOperationAdmission(services),
      useTypedErrors(config),
      useHttpContract(config),
      issueCookie,
      useOperationMetrics(services.metrics),
      useRequestLog(),
      useSseSingleConnection(config),
    ],
  });
}

export type BlipYoga = ReturnType<typeof buildYoga>;
