// The GraphQL context per request: who is calling (and the owner cookie its response sets: a fresh key for a
// browser with none, or the x-owner-key header's key when the cookie lacks it), the services, and the signal
// that ends with the request or WebSocket.
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { Context, Services } from './context.js';
import { requestIdOf } from './log.js';
import { type Caller, identifyCaller, ownerCookie } from './owner.js';

/** What the WebSocket server passes in place of an HTTP request. */
export interface SocketContext {
  socketCaller: Caller;
  socketSignal: AbortSignal;
}

export type InitialContext = YogaInitialContext & Partial<SocketContext>;

/** The context factory, and the plugin that sets the owner cookie (Caller.cookieKey). */
export function callerContext(services: Services): {
  context: (initial: InitialContext) => Context;
  issueCookie: Plugin;
} {
  const { ownerCookie: cookieName, secureCookie } = services.config;
  const cookieKeys = new WeakMap<Request, string>();
  const context = (initial: InitialContext): Context => {
    if (initial.socketCaller && initial.socketSignal) {
      const log = services.log.child({ requestId: requestIdOf(null), transport: 'ws' });
      return { owner: initial.socketCaller.owner, services, signal: initial.socketSignal, log };
    }
    const { request } = initial;
    const caller = identifyCaller(
      {
        authorization: request.headers.get('authorization'),
        ownerKey: request.headers.get('x-owner-key'),
        cookie: request.headers.get('cookie'),
      },
      cookieName,
    );
    if (caller.cookieKey) cookieKeys.set(request, caller.cookieKey);
    const log = services.log.child({ requestId: requestIdOf(request.headers.get('x-request-id')) });
    return { owner: caller.owner, services, signal: request.signal, log };
  };
  const issueCookie: Plugin = {
    onResponse({ request, response }) {
      const key = cookieKeys.get(request);
      if (key) response.headers.append('set-cookie', ownerCookie(cookieName, key, secureCookie));
    },
  };
  return { context, issueCookie };
}
