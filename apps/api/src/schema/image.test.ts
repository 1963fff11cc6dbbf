// Uploads by the GraphQL multipart request spec, and every way one can go wrong: each a typed error, never a crash.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { fixture, OWNER, startTestServer, type TestServer, uploadForm } from '../testing/harness.js';

let server: TestServer;
const LIMIT = 12_000;
before(async () => {
  server = await startTestServer({ maxUploadBytes: LIMIT });
});
after(() => server.close());

const codeOf = (r: { errors?: { extensions?: { code?: string; field?: string } }[] }) => [
  r.errors?.[0]?.extensions?.code,
  r.errors?.[0]?.extensions?.field,
];

/** A valid PNG header claiming width × height, with almost no pixel data: a decompression bomb's shape. */
function pngClaiming(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(
    Buffer.concat([
      signature,
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.alloc(1024))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'x-graphql-yoga-csrf': '1', 'x-owner-key': OWNER, ...headers },
    body,
  });

test('an image is stored once by content: the same bytes twice give the same image', async () => {
  const a = await server.upload(fixture('shapes-640x480.png'), 'a.png');
  const b = await server.upload(fixture('shapes-640x480.png'), 'b.png');
  assert.equal(a.errors, undefined, JSON.stringify(a.errors));
  assert.equal(a.data?.uploadImage.id, b.data?.uploadImage.id);
  assert.deepEqual(a.data?.uploadImage, {
    id: a.data?.uploadImage.id,
    width: 640,
    height: 480,
    format: 'png',
    sha256: '696857c89d6fdaced44c660412d830dc3164c2f4ef21818a35cd87d6dda701f0',
    byteSize: 2739,
  });
  const metrics = await server.metrics();
  // Counted, but not split by "already stored": that would tell one owner what another uploaded.
  assert.match(metrics, /^blip_image_uploads_total 2$/m);
  assert.doesNotMatch(metrics, /stored=/);
});

test('the type comes from the bytes: a PNG named .jpg is a PNG, text named .png is refused', async () => {
  const png = await server.upload(fixture('alpha-120x120.png'), 'looks-like.jpg');
  assert.equal((png.data?.uploadImage as { format?: string } | undefined)?.format, 'png');
  const text = await server.upload(
    new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    'x.png',
  );
  assert.deepEqual(codeOf(text), ['INVALID_IMAGE', 'file']);
});

test('a truncated image is refused by the decoder as INVALID_IMAGE', async () => {
  const r = await server.upload(fixture('photo-640x480.jpg').slice(0, 600), 'cut.jpg');
  assert.deepEqual(codeOf(r), ['INVALID_IMAGE', 'file']);
});

test('a file over the upload limit is refused with IMAGE_TOO_LARGE', async () => {
  const big = fixture('photo-640x480.jpg'); // 16 KB > 12 KB limit
  assert.ok(big.byteLength > LIMIT);
  const r = await server.upload(big, 'big.jpg');
  assert.deepEqual(codeOf(r), ['IMAGE_TOO_LARGE', 'file']);
  // Far over: refused from Content-Length, before the body is read.
  const huge = await server.upload(new Uint8Array(3 * 1024 * 1024), 'huge.jpg');
  assert.deepEqual([huge.status, ...codeOf(huge)], [413, 'IMAGE_TOO_LARGE', 'file']);
});

test('a decompression bomb (tiny file, 64-megapixel header) is refused before decoding', async () => {
  const bomb = pngClaiming(8000, 8000);
  assert.ok(bomb.byteLength < 2000);
  const r = await server.upload(bomb, 'bomb.png');
  assert.deepEqual(codeOf(r), ['IMAGE_TOO_LARGE', 'file']);
});

test('a multipart request without the file part is a typed error on `file` (HTTP 200, like every BAD_USER_INPUT)', async () => {
  const form = uploadForm(fixture('pixel-1x1.png'), 'p.png');
  form.delete('0');
  const res = await post(form);
  const body = (await res.json()) as { errors: { message: string; extensions?: { code?: string } }[] };
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.deepEqual(codeOf(body), ['BAD_USER_INPUT', 'file'], JSON.stringify(body));
});

test('a malformed multipart body is a 400 error, and the server goes on', async () => {
  const res = await post('--nope\r\nthis is not multipart\r\n', {
    'content-type': 'multipart/form-data; boundary=xyz',
  });
  assert.equal(res.status, 400);
  const body = (await res.json()) as { errors: { message: string; extensions?: { code?: string } }[] };
  assert.equal(body.errors[0]?.extensions?.code, 'BAD_REQUEST', JSON.stringify(body));
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
});

test('a multipart upload without the CSRF header is refused (403)', async () => {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'x-owner-key': OWNER },
    body: uploadForm(fixture('pixel-1x1.png'), 'p.png'),
  });
  assert.equal(res.status, 403);
});

test('an image belongs to its uploader: others get NOT_FOUND, also for its bytes', async () => {
  const up = await server.upload(fixture('palette-80x40.png'), 'pal.png');
  const id = up.data?.uploadImage.id as string;
  const other = { ownerKey: 'someone-else-key-0123456789' };
  assert.deepEqual(codeOf(await server.gql('query ($id: ID!) { image(id: $id) { id } }', { id }, other)), [
    'NOT_FOUND',
    'id',
  ]);
  const mine = await fetch(`${server.url}/images/${id}`, { headers: { 'x-owner-key': OWNER } });
  assert.equal(mine.headers.get('content-type'), 'image/png');
  const theirs = await fetch(`${server.url}/images/${id}`, { headers: { 'x-owner-key': other.ownerKey } });
  assert.equal(theirs.status, 404);
});
