// One log line per GraphQL operation, on the request's logger (so it carries requestId): its type and name,
// how long it took and the codes of its errors — never the document, the variables or any header.
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import type { Logger } from '../log.js';

const codesOf = (result: unknown): string[] => {
  const errors = (result as { errors?: readonly { extensions?: { code?: unknown } }[] }).errors ?? [];
  return errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
};

/** Logs each executed operation and each subscription's start. */
export function useRequestLog(): Plugin<Context> {
  const describe = (document: Parameters<typeof getOperationAST>[0], name?: string | null) => {
    const operation = getOperationAST(document, name);
    return { operation: operation?.operation ?? 'unknown', operationName: operation?.name?.value ?? null };
  };
  return {
    onExecute({ args }) {
      const start = performance.now();
      const log = (args.contextValue as Partial<Context>).log;
      return {
        onExecuteDone({ result }) {
          const codes = 'errors' in result ? codesOf(result) : [];
          log?.info(
            {
              ...describe(args.document, args.operationName),
              ms: Math.round(performance.now() - start),
              codes,
            },
            'operation',
          );
        },
      };
    },
    onSubscribe({ args }) {
      const log = (args.contextValue as Partial<Context>).log;
      log?.info(describe(args.document, args.operationName), 'subscription');
    },
  };
}

/** yoga's own logger (it reports masked internal errors there) on the server's pino logger. */
export function yogaLogger(log: Logger) {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const [first, ...rest] = args;
      if (first instanceof Error) log[level]({ err: first }, 'graphql-yoga');
      else log[level]({ detail: rest.length ? rest.map(String) : undefined }, String(first));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
