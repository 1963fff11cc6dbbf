// The HTTP contract of issue 16: per-operation admission, one status per code with Retry-After, CORS for
// configured origins only, security headers, cookies (malformed = none, Secure setting), CSRF rules that let
// stock GET clients in, /metrics behind a token, 406 with a body, subscription errors with a path, string caps.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { API_ERROR_CODES, ERROR_CODES } from './errors.js';
import { fixture, METRICS_TOKEN, OWNER, startStandInServer, type TestServer } from './testing/harness.js';

let server: TestServer;
let imageId: string;
before(async () => {
  server = await startStandInServer({}, { webOrigins: ['http://localhost:3000'], maxStringChars: 600 });
  imageId = (await server.upload(fixture('pixel-1x1.png'))).data?.uploadImage.id as string;
});
after(() => server.close());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-owner-key': OWNER, ...headers },
    body: JSON.stringify(body),
  });
const codeOf = async (res: Response) =>
  ((await res.json()) as { errors?: { extensions?: { code?: string; field?: string } }[] }).errors?.[0]
    ?.extensions;

test('an operation asking for more generations than one caller may run is refused before anything runs', async () => {
  const blip = server.app.services.engine;
  const steps = blip?.stats().decoderSteps;
  const res = await post({
    query: `mutation ($i: ID!) { a: answer(imageId: $i, question: "one?") { text } ...B }
      fragment B on Mutation { b: caption(imageId: $i) { text } }`,
    variables: { i: imageId },
  });
  assert.equal(res.status, 400);
  assert.deepEqual(await codeOf(res), { code: 'TOO_MANY_GENERATIONS' });
  assert.equal(blip?.stats().decoderSteps, steps, 'no decoder step ran');
  const list = await post({ query: '{ conversations { totalCount } }' });
  assert.deepEqual(await list.json(), { data: { conversations: { totalCount: 0 } } }, 'nothing was stored');
});

test('every code has one HTTP status: parse 400, mutation over GET 405, NOT_FOUND 200, upload without CSRF 403', async () => {
  const parse = await post({ query: '{ models { name }' });
  assert.deepEqual([parse.status, (await codeOf(parse))?.code], [400, 'GRAPHQL_PARSE_FAILED']);
  const viaGet = await fetch(
    `${server.url}/graphql?query=${encodeURIComponent('mutation { deleteImage(id: "x") }')}`,
  );
  assert.deepEqual([viaGet.status, (await codeOf(viaGet))?.code], [405, 'METHOD_NOT_ALLOWED']);
  const missing = await post({ query: '{ image(id: "nope") { id } }' });
  assert.deepEqual([missing.status, (await codeOf(missing))?.code], [200, 'NOT_FOUND']);
  const form = new FormData();
  form.set('operations', '{}');
  const csrf = await fetch(`${server.url}/graphql`, { method: 'POST', body: form });
  assert.deepEqual([csrf.status, (await codeOf(csrf))?.code], [403, 'CSRF_HEADER_MISSING']);
  const tooBig = await post({ query: `{ models { name } } # ${'x'.repeat(server.config.maxBodyBytes)}` });
  assert.deepEqual([tooBig.status, (await codeOf(tooBig))?.code], [413, 'REQUEST_ENTITY_TOO_LARGE']);
  for (const code of API_ERROR_CODES) assert.ok(ERROR_CODES[code].doc.length > 10, code);
});

test('a GET query works without the CSRF header (urql, curl -G); a cross-site browser GET does not', async () => {
  const url = `${server.url}/graphql?query=${encodeURIComponent('{ limits { maxTitleChars } }')}`;
  const plain = await fetch(url, { headers: { 'x-owner-key': OWNER } });
  assert.equal(plain.status, 200);
  const crossSite = await fetch(url, {
    headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
  });
  assert.deepEqual([crossSite.status, (await codeOf(crossSite))?.code], [403, 'CSRF_HEADER_MISSING']);
});

test('CORS: the configured origin gets credentials; a foreign origin or `null` gets no CORS headers; Vary: Origin always', async () => {
  const preflight = (origin: string) =>
    fetch(`${server.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-owner-key',
      },
    });
  const ok = await preflight('http://localhost:3000');
  assert.equal(ok.headers.get('access-control-allow-origin'), 'http://localhost:3000');
  assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
  for (const origin of ['https://evil.example', 'null']) {
    const res = await preflight(origin);
    assert.equal(res.headers.get('access-control-allow-origin'), null, origin);
    assert.equal(res.headers.get('access-control-allow-credentials'), null, origin);
    assert.match(res.headers.get('vary') ?? '', /Origin/);
  }
});

test('security headers on every response; CSP and frame protection on GraphiQL', async () => {
  const gql = await post({ query: '{ models { name } }' });
  assert.equal(gql.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(gql.headers.get('cache-control'), 'no-store');
  const health = await fetch(`${server.url}/health`);
  assert.equal(health.headers.get('x-content-type-options'), 'nosniff');
  const graphiql = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
  assert.match(graphiql.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.equal(graphiql.headers.get('x-frame-options'), 'DENY');
});

test('a malformed owner cookie is treated as no cookie: a fresh key, not an error', async () => {
  for (const cookie of ['blip_owner=%E0%A4%A', 'blip_owner=short', 'blip_owner=']) {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ query: '{ conversations { totalCount } }' }),
    });
    assert.equal(res.status, 200, cookie);
    assert.match(res.headers.get('set-cookie') ?? '', /^blip_owner=[A-Za-z0-9_-]{32};/, cookie);
  }
});

test('/metrics is not public: 404 without a configured token, 401 with a wrong one, 200 with it', async () => {
  assert.equal((await fetch(`${server.url}/metrics`)).status, 401);
  const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
  assert.equal(wrong.status, 401);
  const right = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  assert.equal(right.status, 200);
  const bare = await startStandInServer({}, { metricsToken: '', metricsPort: 0 });
  try {
    assert.equal((await fetch(`${bare.url}/metrics`)).status, 404);
    assert.ok(bare.app.metricsUrl);
    const separate = await fetch(`${bare.app.metricsUrl}/metrics`);
    assert.equal(separate.status, 200);
    assert.match(await separate.text(), /blip_http_requests_total/);
  } finally {
    await bare.close();
  }
});

test('a subscription asked for as application/json gets 406 with a typed JSON body', async () => {
  const res = await post(
    {
      query: 'subscription ($i: ID!) { captionStream(imageId: $i) { __typename } }',
      variables: { i: imageId },
    },
    { accept: 'application/json' },
  );
  assert.equal(res.status, 406);
  assert.equal((await codeOf(res))?.code, 'NOT_ACCEPTABLE');
});

test('subscription errors carry the path of the subscription field', async () => {
  const events = [];
  for await (const r of server.sse(
    'subscription ($i: ID!) { answerStream(imageId: $i, question: "   ") { __typename } }',
    { i: imageId },
  )) {
    events.push(r);
  }
  assert.equal(events[0]?.errors?.[0]?.extensions?.code, 'INVALID_QUESTION');
  assert.deepEqual(events[0]?.errors?.[0]?.path, ['answerStream']);
});

test('strings longer than MAX_STRING_CHARS are refused, in variables and in the document', async () => {
  const long = 'x'.repeat(601);
  const variable = await post({
    query: 'query ($s: String) { conversations(search: $s) { totalCount } }',
    variables: { s: long },
  });
  assert.deepEqual(await codeOf(variable), { code: 'BAD_USER_INPUT', field: 's' });
  const literal = await post({ query: `{ conversations(search: "${long}") { totalCount } }` });
  assert.equal((await codeOf(literal))?.code, 'GRAPHQL_VALIDATION_FAILED');
});

/** Opens a raw connection, sends `text` and then nothing more; resolves with what the server sent once it closed. */
function trickle(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

test('slow requests are cut: headers not finished within HEADERS_TIMEOUT_MS, a body not finished within REQUEST_TIMEOUT_MS', async () => {
  const slow = await startStandInServer({}, { headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
  try {
    // Waits for the server to close each connection (the test's own timeout is the only clock).
    const headers = await trickle(slow.url, 'POST /graphql HTTP/1.1\r\nHost: api\r\nx-owner-key: slow');
    assert.match(headers, /^HTTP\/1\.1 408/);
    const body = await trickle(
      slow.url,
      'POST /graphql HTTP/1.1\r\nHost: api\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"query":',
    );
    assert.match(body, /^HTTP\/1\.1 408/);
    assert.equal((await fetch(`${slow.url}/health`)).status, 200, 'the server serves others meanwhile');
  } finally {
    await slow.close();
  }
});
