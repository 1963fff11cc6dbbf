// Every file of the bad-input corpus, uploaded to the real server: valid images in any layout are accepted, broken
// or refused ones give their typed error code, oversize and malformed multipart bodies a 4xx — and the server lives on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Api, startApi } from './api.js';
import { ALICE, outcome, upload } from './client.js';
import { bigButFinePng, imageCorpus } from './corpus.js';
import { recordCase, recordFigure } from './results.js';

const AREA = 'upload corpus';
/** A small upload limit so the oversize case stays cheap. */
const MAX_UPLOAD = 2 * 1024 * 1024;
let api: Api;

before(async () => {
  api = await startApi({ env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD) } });
});
after(() => api.stop());

test('every corpus image gives its expected outcome, and the server stays healthy', async () => {
  const cases = await imageCorpus();
  const failed: string[] = [];
  for (const c of cases) {
    const r = await upload(api.graphql, c.bytes, c.filename);
    const observed = r.status >= 500 ? `HTTP ${r.status}` : outcome(r);
    if (!recordCase(AREA, `${c.name} (${c.bytes.length} B)`, c.expect, observed))
      failed.push(`${c.name}: ${observed}`);
  }
  recordFigure(AREA, 'image files tried', cases.length);
  assert.deepEqual(failed, []);
  assert.equal((await fetch(`${api.url}/health`)).status, 200);
});

test('a 6-megapixel image is accepted; one over MAX_UPLOAD_BYTES is IMAGE_TOO_LARGE', async () => {
  const big = await bigButFinePng();
  const fine = await upload(api.graphql, big, 'big.png');
  assert.ok(recordCase(AREA, `6 MP PNG (${big.length} B)`, 'OK', outcome(fine)));
  const huge = new Uint8Array(MAX_UPLOAD + 1024);
  huge.set(big.subarray(0, Math.min(big.length, 1024)));
  const over = await upload(api.graphql, huge, 'huge.png');
  assert.ok(
    recordCase(AREA, `upload of ${huge.length} B (limit ${MAX_UPLOAD})`, 'IMAGE_TOO_LARGE', outcome(over)),
  );
});

/** Raw multipart bodies that break the spec in different ways. */
function malformed(): { name: string; contentType: string; body: string }[] {
  const b = 'XyZbOuNdArY';
  const ct = `multipart/form-data; boundary=${b}`;
  const part = (name: string, value: string, file = false) =>
    `--${b}\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename="a.png"\r\nContent-Type: image/png' : ''}\r\n\r\n${value}\r\n`;
  const ops = JSON.stringify({
    query: 'mutation ($file: File!) { uploadImage(file: $file) { id } }',
    variables: { file: null },
  });
  return [
    {
      name: 'operations not JSON',
      contentType: ct,
      body: `${part('operations', '{nope')}${part('map', '{}')}--${b}--\r\n`,
    },
    {
      name: 'map missing',
      contentType: ct,
      body: `${part('operations', ops)}${part('0', 'x', true)}--${b}--\r\n`,
    },
    {
      name: 'map names a missing file',
      contentType: ct,
      body: `${part('operations', ops)}${part('map', '{"9":["variables.file"]}')}--${b}--\r\n`,
    },
    {
      name: 'map path into nowhere',
      contentType: ct,
      body: `${part('operations', ops)}${part('map', '{"0":["variables.x.y.z"]}')}${part('0', 'x', true)}--${b}--\r\n`,
    },
    {
      name: 'map is a string',
      contentType: ct,
      body: `${part('operations', ops)}${part('map', '"0"')}--${b}--\r\n`,
    },
    {
      name: 'body cut mid-part',
      contentType: ct,
      body: `${part('operations', ops)}--${b}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":`,
    },
    {
      name: 'no boundary in content-type',
      contentType: 'multipart/form-data',
      body: part('operations', ops),
    },
    {
      name: 'wrong boundary',
      contentType: 'multipart/form-data; boundary=other',
      body: `${part('operations', ops)}--${b}--\r\n`,
    },
    { name: 'empty body', contentType: ct, body: '' },
  ];
}

test('malformed multipart bodies are typed errors (4xx, or BAD_USER_INPUT on `file`) and the server goes on', async () => {
  const failed: string[] = [];
  for (const m of malformed()) {
    const res = await fetch(api.graphql, {
      method: 'POST',
      headers: { 'content-type': m.contentType, 'x-graphql-yoga-csrf': '1', 'x-owner-key': ALICE },
      body: m.body,
    });
    const text = await res.text();
    const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? 'no code';
    const observed = `HTTP ${res.status} ${code}`;
    // A multipart body whose map leaves $file unset is an ordinary input error on `file` (HTTP 200 by the contract).
    const pass = (res.status >= 400 && res.status < 500) || observed === 'HTTP 200 BAD_USER_INPUT';
    if (!recordCase(AREA, `multipart: ${m.name}`, 'HTTP 4xx or 200 BAD_USER_INPUT', observed, pass))
      failed.push(`${m.name}: ${observed}`);
  }
  assert.deepEqual(failed, []);
  const ok = await upload(api.graphql, (await imageCorpus())[0]?.bytes as Uint8Array, 'after.png');
  assert.ok(recordCase(AREA, 'valid upload after the malformed ones', 'OK', outcome(ok)));
});
