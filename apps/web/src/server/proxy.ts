// Forwards one browser request to the API and streams the answer back, so the browser only ever talks to this origin:
// one cookie, no CORS, and <img src="/images/…"> works. Cancelling the browser request cancels the upstream one,
// which is how the stop button reaches the engine.
import { upstreamTimeoutMs } from './settings.js';

/** Request headers worth passing on; hop-by-hop and host headers are left out. */
const FORWARDED_REQUEST = [
  'accept',
  'content-type',
  'cookie',
  'x-owner-key',
  'x-graphql-yoga-csrf',
  'graphql-client-name',
  'authorization',
];
/** Response headers worth passing back (the body is re-streamed, so length and encoding are recomputed). */
const FORWARDED_RESPONSE = ['content-type', 'cache-control', 'etag', 'last-modified'];

/** The code the browser sees when the API cannot be reached; the UI turns it into a friendly message. */
export const UNREACHABLE_CODE = 'API_UNREACHABLE';

/** Sends `request` to `target` (same method, headers above, streamed body) and returns the API's streamed response. */
export async function proxy(request: Request, target: string): Promise<Response> {
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  // Only the wait for the response headers is bounded: once the API answers, an answer may stream as long as it needs.
  const headersTimeout = new AbortController();
  const timer = setTimeout(() => headersTimeout.abort(new Error('no answer in time')), upstreamTimeoutMs());
  try {
    const upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? request.body : null,
      signal: AbortSignal.any([request.signal, headersTimeout.signal]),
      // Node's fetch needs this to stream a request body (uploads) instead of buffering it.
      duplex: 'half',
      redirect: 'manual',
    } as RequestInit & { duplex: 'half' });
    return new Response(upstream.body, { status: upstream.status, headers: responseHeaders(upstream) });
  } catch (err) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    return unreachable(err);
  } finally {
    clearTimeout(timer);
  }
}

function responseHeaders(upstream: Response): Headers {
  // Tells any proxy in front of us not to buffer the event stream.
  const out = new Headers({ 'x-accel-buffering': 'no' });
  for (const name of FORWARDED_RESPONSE) {
    const value = upstream.headers.get(name);
    if (value !== null) out.set(name, value);
  }
  // The API's owner cookie: one header per cookie (get() would join several into one unparseable line).
  for (const cookie of upstream.headers.getSetCookie()) out.append('set-cookie', cookie);
  // The app compresses its responses (next.config compress), but a compressor holds small writes back until it has
  // a block: an answer's tokens must go out one by one. `no-transform` makes Next's compression leave the stream alone.
  if (out.get('content-type')?.includes('text/event-stream'))
    out.set('cache-control', 'no-cache, no-transform');
  return out;
}

/** A GraphQL-shaped 502 so the client handles "API down" like any other typed error. */
function unreachable(err: unknown): Response {
  const detail =
    err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  const body = {
    errors: [
      { message: `The answer server cannot be reached (${detail}).`, extensions: { code: UNREACHABLE_CODE } },
    ],
  };
  return Response.json(body, { status: 502 });
}
