// Audit findings of issue 16 about the HTTP surface, one case each (e2e/known-open.ts lists those not fixed yet):
// strings, cookies, side effects, CORS, transports, error codes, headers, /metrics, images.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Api } from './api.js';
import { ALICE, gql, outcome } from './client.js';
import { fieldsOf, startFindingsApi } from './findings.js';
import { recordFigure, recordFinding } from './results.js';

const LIMITS = '{ limits { maxQuestionChars } }';
let api: Api;
let imageId: string;
let tried = 0;

before(async () => {
  ({ api, imageId } = await startFindingsApi());
});
after(() => {
  recordFigure('audit findings (issue 16)', 'HTTP requests tried for the findings', tried);
  return api.stop();
});

/** fetch against the API, counted. */
function call(path: string, init: RequestInit = {}): Promise<Response> {
  tried++;
  return fetch(`${api.url}${path}`, init);
}
const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-owner-key': ALICE, ...headers },
  body: JSON.stringify(body),
});

test('#16.3: a 1 MB conversation title is refused with a code', async () => {
  tried++;
  const r = await gql(
    api.graphql,
    'mutation ($i: ID!, $t: String) { createConversation(imageId: $i, title: $t) { id } }',
    { i: imageId, t: 'x'.repeat(1_000_000) },
  );
  const o = outcome(r);
  assert.ok(
    recordFinding(
      '16.3',
      'createConversation(title:) of 1,000,000 characters',
      'a typed refusal',
      o,
      o !== 'OK' && !/INTERNAL|HTTP 5/.test(o),
    ),
  );
});

test('#16.5: a malformed blip_owner cookie is treated as no cookie', async () => {
  const res = await call('/graphql', {
    ...json({ query: LIMITS }),
    headers: { 'content-type': 'application/json', cookie: 'blip_owner=%E0%A4%A' },
  });
  assert.ok(
    recordFinding(
      '16.5',
      'cookie blip_owner=%E0%A4%A',
      'HTTP 200 with data',
      `HTTP ${res.status}`,
      res.status === 200,
    ),
  );
});

test('#16.6a: caption and answer are Mutations; no Query field records a turn', async () => {
  const [query, mutation] = [await fieldsOf(api.graphql, 'Query'), await fieldsOf(api.graphql, 'Mutation')];
  const inQuery = ['caption', 'answer'].filter((f) => query.includes(f));
  const inMutation = ['caption', 'answer'].filter((f) => mutation.includes(f));
  assert.ok(
    recordFinding(
      '16.6a',
      'where caption/answer live',
      'Mutation: caption, answer; Query: neither',
      `Mutation: ${inMutation.join(', ') || 'neither'}; Query: ${inQuery.join(', ') || 'neither'}`,
      inQuery.length === 0 && inMutation.length === 2,
    ),
  );
});

test('#16.6b: a GET query needs no extra header (urql and curl -G defaults)', async () => {
  const res = await call(`/graphql?query=${encodeURIComponent(LIMITS)}`, {
    headers: { 'x-owner-key': ALICE },
  });
  assert.ok(
    recordFinding(
      '16.6b',
      'GET /graphql?query={limits…}',
      'HTTP 200',
      `HTTP ${res.status}`,
      res.status === 200,
    ),
  );
});

test('#16.7: CORS reflects only configured origins, never null, and says Vary: Origin', async () => {
  const seen: string[] = [];
  let ok = true;
  for (const origin of ['https://evil.example', 'null', 'http://localhost:3000']) {
    const res = await call('/graphql', json({ query: LIMITS }, { origin }));
    const acao = res.headers.get('access-control-allow-origin');
    const vary = res.headers.get('vary');
    seen.push(`${origin} → ACAO ${acao ?? '-'}, Vary ${vary ?? '-'}`);
    const allowed = origin === 'http://localhost:3000';
    ok &&= /\borigin\b/i.test(vary ?? '') && (allowed ? acao === origin : acao === null);
  }
  assert.ok(
    recordFinding(
      '16.7',
      'Origin: foreign, null, configured',
      'ACAO only for the configured origin; Vary: Origin on all',
      seen.join('; '),
      ok,
    ),
  );
});

test('#16.10a: /metrics is not public on the API port', async () => {
  const res = await call('/metrics');
  assert.ok(
    recordFinding(
      '16.10a',
      'GET /metrics without a token',
      'HTTP 401, 403 or 404',
      `HTTP ${res.status}`,
      [401, 403, 404].includes(res.status),
    ),
  );
});

test('#16.10b: images can be listed and deleted', async () => {
  const query = await fieldsOf(api.graphql, 'Query');
  const mutation = await fieldsOf(api.graphql, 'Mutation');
  const has = [
    query.includes('images') && 'Query.images',
    mutation.includes('deleteImage') && 'Mutation.deleteImage',
  ].filter(Boolean);
  assert.ok(
    recordFinding(
      '16.10b',
      'image listing and deletion in the schema',
      'Query.images, Mutation.deleteImage',
      has.join(', ') || 'neither',
      has.length === 2,
    ),
  );
});

test('#16.10c: /graphql responses say nosniff and Cache-Control', async () => {
  const res = await call('/graphql', json({ query: LIMITS }));
  const nosniff = res.headers.get('x-content-type-options');
  const cache = res.headers.get('cache-control');
  assert.ok(
    recordFinding(
      '16.10c',
      'headers of a POST /graphql response',
      'X-Content-Type-Options: nosniff; Cache-Control set',
      `nosniff: ${nosniff ?? '-'}; Cache-Control: ${cache ?? '-'}`,
      nosniff === 'nosniff' && cache !== null,
    ),
  );
});
