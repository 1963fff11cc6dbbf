// graphql-ws on the same HTTP server and path as yoga: subscriptions (and any operation) over WebSocket.
import type { Server } from 'node:http';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from './config.js';
import { ApiError } from './errors.js';
import { checkVariables } from './ops/input-limits.js';
import { identifyCaller } from './owner.js';
import type { BlipYoga, SocketContext } from './yoga.js';

/** Credentials a client may send in connectionParams instead of headers. */
type ConnectionParams = {
  authorization?: string;
  ownerKey?: string;
};

/** Starts the WebSocket endpoint; returns a function that closes every socket. */
export function attachWebSocket(server: Server, yoga: BlipYoga, config: Config): () => Promise<void> {
  const wss = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    // Browsers send Origin on WebSocket upgrades; refusing foreign ones stops cross-site socket hijacking.
    verifyClient: ({ origin }: { origin?: string }) => !origin || config.webOrigins.includes(origin),
  });
  const disposable = useServer<ConnectionParams>(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const req = ctx.extra.request;
        let socketContext: SocketContext;
        try {
          const params = ctx.connectionParams ?? {};
          socketContext = {
            socketCaller: identifyCaller(
              {
                authorization: params.authorization ?? req.headers.authorization,
                ownerKey: params.ownerKey ?? (req.headers['x-owner-key'] as string | undefined),
                cookie: req.headers.cookie,
              },
              config.ownerCookie,
            ),
            socketSignal: socketClosed(ctx.extra.socket),
          };
        } catch (err) {
          if (err instanceof ApiError) return [err];
          throw err;
        }
        const enveloped = yoga.getEnveloped({
          ...ctx,
          req,
          socket: ctx.extra.socket,
          params: payload,
          ...socketContext,
        });
        // A bad document or variable is that operation's error; thrown, graphql-ws would close the whole
        // socket (4500) and end every other stream on it.
        let document: ReturnType<typeof enveloped.parse>;
        try {
          checkVariables(payload.variables, config);
          document = enveloped.parse(payload.query);
        } catch (err) {
          return [asGraphQLError(err, 'GRAPHQL_PARSE_FAILED')];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        return {
          schema: enveloped.schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
    },
    wss,
  );
  return async () => {
    await disposable.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}

type Enveloped = ReturnType<BlipYoga['getEnveloped']>;

/** A GraphQLError with a code (ApiErrors keep theirs). */
function asGraphQLError(err: unknown, code: string): GraphQLError {
  if (err instanceof GraphQLError && err.extensions?.code) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new GraphQLError(message, { extensions: { code } });
}

const socketSignals = new WeakMap<object, AbortSignal>();

/** One signal per socket, aborted when it closes (shared by all of its subscriptions). */
function socketClosed(socket: { once(event: 'close', fn: () => void): unknown }): AbortSignal {
  let signal = socketSignals.get(socket);
  if (!signal) {
    const controller = new AbortController();
    socket.once('close', () => controller.abort());
    signal = controller.signal;
    socketSignals.set(socket, signal);
  }
  return signal;
}
