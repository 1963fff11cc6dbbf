// Cross-site request forgery: which requests must carry the header x-graphql-yoga-csrf.
//
// yoga's plugin asks it of every request a browser may send cross-site without a CORS preflight (GET, form and
// multipart POSTs). We keep that rule for POSTs, which carry mutations and uploads. GET requests cannot carry
// mutations (yoga refuses them with 405) and queries have no side effects, so a GET without the header is
// refused only when a browser says it comes from another site (`Sec-Fetch-Site: cross-site`, e.g. a link that
// would start a subscription with the victim's cookie) and its Origin is not a configured web origin. Stock
// clients (urql's GET queries, a same-origin EventSource, curl) therefore work without the header.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';

/** The header that marks a request as sent by a script (browsers preflight custom headers). */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

const FORM_LIKE = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** True when the request needs the CSRF header and lacks it. */
export function refusedAsCsrf(request: Request, config: Config): boolean {
  if (request.headers.has(CSRF_HEADER)) return false;
  if (request.method === 'GET') {
    const crossSite = request.headers.get('sec-fetch-site') === 'cross-site';
    const origin = request.headers.get('origin');
    return crossSite && !(origin && config.webOrigins.includes(origin));
  }
  const type = request.headers.get('content-type')?.toLowerCase();
  return !type || FORM_LIKE.some((t) => type.startsWith(t));
}

/** The yoga plugin: CSRF_HEADER_MISSING (HTTP 403) before anything is parsed. */
export function useCsrf(config: Config): Plugin {
  return {
    onRequestParse({ request }) {
      if (!refusedAsCsrf(request, config)) return;
      throw new GraphQLError(`Required CSRF header missing: send the header ${CSRF_HEADER}`, {
        extensions: { code: 'CSRF_HEADER_MISSING', http: { status: 403 } },
      });
    },
  };
}
