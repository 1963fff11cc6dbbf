import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { proxy, UNREACHABLE_CODE } from './proxy.js';

/** A stand-in upstream on a real port: streams one event every 20 ms until the client leaves. */
async function streamingServer(): Promise<{
  server: Server;
  url: string;
  closed: Promise<void>;
  seen: Headers[];
}> {
  const seen: Headers[] = [];
  let onClosed: () => void = () => {};
  const closed = new Promise<void>((r) => {
    onClosed = r;
  });
  const server = createServer((req, res) => {
    seen.push(new Headers(req.headers as Record<string, string>));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-internal': 'secret' });
    let n = 0;
    const timer = setInterval(() => res.write(`data: ${n++}\n\n`), 20);
    res.on('close', () => {
      clearInterval(timer);
      onClosed();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, closed, seen };
}

test('events stream through as they come, and aborting the browser request closes the upstream one', async () => {
  const up = await streamingServer();
  try {
    const browser = new AbortController();
    const req = new Request('http://web/graphql', {
      headers: { accept: 'text/event-stream', 'x-owner-key': 'k', host: 'web', 'x-other': 'dropped' },
      signal: browser.signal,
    });
    const res = await proxy(req, up.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    assert.equal(res.headers.get('x-internal'), null);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /^data: 0/);
    assert.equal(up.seen[0]?.get('x-owner-key'), 'k');
    assert.equal(up.seen[0]?.get('x-other'), null);
    browser.abort();
    await Promise.race([
      up.closed,
      new Promise((_, reject) => setTimeout(() => reject(new Error('upstream never closed')), 2000)),
    ]);
  } finally {
    up.server.close();
  }
});

test('an API that is not listening gives a GraphQL-shaped 502 with a typed code', async () => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  server.close();
  await once(server, 'close');
  const res = await proxy(
    new Request('http://web/graphql', { method: 'POST', body: '{}' }),
    `http://127.0.0.1:${port}/`,
  );
  assert.equal(res.status, 502);
  const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
  assert.equal(body.errors[0]?.extensions.code, UNREACHABLE_CODE);
});
