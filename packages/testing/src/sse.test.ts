import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { readSse } from './sse.js';

// A server that writes a GraphQL-over-SSE stream the awkward ways the format allows: frames split across writes,
// CRLF line ends, a comment (keep-alive), data on several lines, and events after `complete` that must be ignored.
const STREAM = [
  ': keep-alive\n\n',
  'event: next\ndata: {"data":{"n":1}}\n\nevent: ne',
  'xt\r\ndata: {"data":\r\ndata: {"n":2}}\r\n\r\n',
  'event: complete\ndata:\n\n',
  'event: next\ndata: {"data":{"n":3}}\n\n',
];
let url: string;
const seen: { accept?: string; key?: string }[] = [];
const server = createServer(async (req, res: ServerResponse) => {
  seen.push({ accept: req.headers.accept, key: req.headers['x-owner-key'] as string });
  if (req.url === '/refused') {
    res.writeHead(406, { 'content-type': 'application/json' });
    res.end('{"errors":[{"message":"not acceptable","extensions":{"code":"BAD_REQUEST"}}]}');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const part of STREAM) await new Promise<void>((done) => res.write(part, () => done()));
  res.end();
});
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

test('yields each next payload, whatever the framing, and stops at complete', async () => {
  const got = [];
  for await (const r of readSse(`${url}/graphql`, 'subscription { n }', {}, { 'x-owner-key': 'k' }))
    got.push(r);
  assert.deepEqual(got, [
    { status: 200, data: { n: 1 } },
    { status: 200, data: { n: 2 } },
  ]);
  assert.deepEqual(seen.at(-1), { accept: 'text/event-stream', key: 'k' });
});

test('a response that is not an event stream is yielded once, as it is', async () => {
  const got = [];
  for await (const r of readSse(`${url}/refused`, 'subscription { n }', {})) got.push(r);
  assert.deepEqual(got, [
    { status: 406, errors: [{ message: 'not acceptable', extensions: { code: 'BAD_REQUEST' } }] },
  ]);
});
