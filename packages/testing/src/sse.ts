// A GraphQL subscription over SSE as the API serves it ("distinct connections" mode: POST with
// Accept: text/event-stream, one `next` event per payload, then `complete`), parsed with eventsource-parser.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** A GraphQL response (or one streamed payload) with the HTTP status it came with. */
export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; field?: string } }[];
}

/**
 * Subscribes and yields each `next` payload until `complete` or the end of the body. A response that is not an
 * event stream (a refused request: 4xx JSON, a 406) is yielded once as it is, so callers can assert on it.
 */
export async function* readSse(
  endpoint: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): AsyncGenerator<GqlResult> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: signal ?? null,
  });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    yield await asResult(res);
    return;
  }
  if (!res.body) throw new Error(`no SSE body (status ${res.status})`);
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    for (let event = events.shift(); event; event = events.shift()) {
      if (event.event === 'complete') return;
      if (event.data) yield { status: res.status, ...(JSON.parse(event.data) as object) };
    }
  }
}

/** A whole (non-streamed) response as a result; a body that is not JSON becomes the error message. */
export async function asResult<T = Record<string, unknown>>(res: Response): Promise<GqlResult<T>> {
  const text = await res.text();
  try {
    return { status: res.status, ...(JSON.parse(text) as object) };
  } catch {
    return { status: res.status, errors: [{ message: text.slice(0, 200) || `HTTP ${res.status}` }] };
  }
}
