// Every error a client gets carries `extensions.code`: errors raised by yoga, graphql-js or graphql-armor
// before our resolvers run get one here, and upload limits are reported as IMAGE_TOO_LARGE on `file`.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from './config.js';

/** Multipart framing and the operations field, on top of the file itself. */
export const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

const tooLarge = (config: Config) =>
  new GraphQLError(`file is larger than the upload limit of ${config.maxUploadBytes} bytes`, {
    extensions: { code: 'IMAGE_TOO_LARGE', field: 'file', http: { status: 413 } },
  });

const isMultipart = (request: Request) =>
  request.headers.get('content-type')?.toLowerCase().startsWith('multipart/form-data') ?? false;

/** Adds a code (and the variable as `field`) to errors that have none. */
function withCode(errors: readonly (Error | GraphQLError)[], code: string): GraphQLError[] {
  return errors.map((err) => {
    const error = err instanceof GraphQLError ? err : new GraphQLError(err.message, { originalError: err });
    if (error.extensions?.code) return error;
    const variable = /^Variable "\$(\w+)"/.exec(error.message)?.[1];
    const extensions = { ...error.extensions, code, ...(variable ? { field: variable } : {}) };
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions,
    });
  });
}

/** yoga's CSRF-prevention plugin with a code on its refusal (HTTP 403, CSRF_HEADER_MISSING). */
export function withCsrfCode(csrf: Plugin): Plugin {
  const check = csrf.onRequestParse;
  if (!check) return csrf;
  return {
    ...csrf,
    onRequestParse(payload) {
      try {
        return check(payload);
      } catch (err) {
        if (!(err instanceof GraphQLError)) throw err;
        throw new GraphQLError(`${err.message}: send the header x-graphql-yoga-csrf`, {
          extensions: { code: 'CSRF_HEADER_MISSING', http: { status: 403 } },
        });
      }
    },
  };
}

/** The yoga plugin. */
export function useTypedErrors(config: Config): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser || !isMultipart(request)) return;
      const declared = Number(request.headers.get('content-length') ?? 0);
      if (declared > config.maxUploadBytes + MULTIPART_OVERHEAD_BYTES) throw tooLarge(config);
      setRequestParser(async (req) => {
        try {
          return await requestParser(req);
        } catch (err) {
          if (err instanceof GraphQLError && /too large|size limit exceeded/i.test(err.message))
            throw tooLarge(config);
          // yoga reports an "operations" or "map" field that is not JSON with no code and HTTP 200.
          if (err instanceof GraphQLError && !err.extensions?.code)
            throw new GraphQLError(err.message, {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          throw err;
        }
      });
    },
    onParse() {
      return ({ result, replaceParseResult }) => {
        if (result instanceof Error) replaceParseResult(withCode([result], 'GRAPHQL_PARSE_FAILED')[0]);
      };
    },
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(withCode(result, 'GRAPHQL_VALIDATION_FAILED'));
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if ('errors' in result && result.errors && result.data === undefined) {
            setResult({ ...result, errors: withCode(result.errors, 'BAD_USER_INPUT') });
          }
        },
      };
    },
    onSubscribe() {
      return {
        onSubscribeResult({ result, setResult }) {
          if ('errors' in result && result.errors && result.data === undefined) {
            setResult({ ...result, errors: withCode(result.errors, 'BAD_USER_INPUT') });
          }
        },
      };
    },
  };
}
