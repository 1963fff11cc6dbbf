// Every error a client gets carries `extensions.code`: errors raised by yoga, graphql-js or graphql-armor
// before our resolvers run get one here, and upload limits are reported as IMAGE_TOO_LARGE on `file`.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from './config.js';
import { withExtensions } from './errors.js';

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
    return withExtensions(error, extensions);
  });
}

const tooLargeBody = (config: Config) =>
  new GraphQLError(`the request body is larger than ${config.maxBodyBytes} bytes`, {
    extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413 } },
  });

/** A copy of the request whose body errors out once it passes `limit` bytes (bodies sent without a length). */
function capped(request: Request, limit: number, error: () => GraphQLError): Request {
  if (!request.body) return request;
  let read = 0;
  const body = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > limit) controller.error(error());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body,
    duplex: 'half',
  } as RequestInit);
}

/** "Did you mean …?" hints name schema parts: gone when introspection is off. */
const withoutSuggestions = (errors: GraphQLError[]) =>
  errors.map((e) =>
    /Did you mean/.test(e.message)
      ? new GraphQLError(e.message.replace(/ ?Did you mean .*$/s, ''), {
          nodes: e.nodes,
          source: e.source,
          positions: e.positions,
          path: e.path,
          originalError: e.originalError,
          extensions: e.extensions,
        })
      : e,
  );

/** The yoga plugin. */
export function useTypedErrors(config: Config): Plugin {
  const hide = (errors: GraphQLError[]) => (config.introspection ? errors : withoutSuggestions(errors));
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser) return;
      if (!isMultipart(request)) {
        const declared = request.headers.get('content-length');
        if (Number(declared ?? 0) > config.maxBodyBytes) throw tooLargeBody(config);
        // Node's parser never reads past a declared length; only a chunked body needs counting as it comes.
        // (Reading request.body here would turn every request's body into a web stream: heavy, and it leaked.)
        if (declared === null && request.method === 'POST')
          setRequestParser((req) =>
            requestParser(capped(req, config.maxBodyBytes, () => tooLargeBody(config))),
          );
        return;
      }
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
        if (result.length > 0) setResult(hide(withCode(result, 'GRAPHQL_VALIDATION_FAILED')));
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if ('errors' in result && result.errors && result.data === undefined) {
            setResult({ ...result, errors: hide(withCode(result.errors, 'BAD_USER_INPUT')) });
          }
        },
      };
    },
    onSubscribe() {
      return {
        // The executor re-wraps a stream's error at the operation (line 1, column 1, no path); the error
        // stream.ts located at the subscription field is inside it: send that one.
        onSubscribeError({ error, setError }) {
          const inner = (error as GraphQLError).originalError;
          if (inner instanceof GraphQLError && inner.path) setError(inner);
        },
        onSubscribeResult({ result, setResult }) {
          if ('errors' in result && result.errors && result.data === undefined) {
            setResult({ ...result, errors: hide(withCode(result.errors, 'BAD_USER_INPUT')) });
          }
        },
      };
    },
  };
}
