// Safety of the GraphQL endpoint: query depth/alias/token limits, masked internal errors (CORS: http-contract.test.ts),
// CSRF on GET, WebSocket origin check — each answered with a typed error, the server healthy.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { fixture, startStandInServer, type TestServer } from './testing/harness.js';

let server: TestServer;
before(async () => {
  // Small query limits so that ordinary-looking queries can cross them.
  server = await startStandInServer(
    {},
    {
      webOrigins: ['http://localhost:3000'],
      maxQueryDepth: 4,
      maxAliases: 3,
      introspection: false,
    },
  );
});
after(() => server.close());

const codeOf = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

test('a too-deep query is refused before execution with a typed error', async () => {
  const ok = await server.gql('{ conversations { nodes { turns { id } } } }');
  assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
  const refused = await server.gql(
    '{ conversations { edges { node { turns { alternatives { text } } } } } }',
  );
  assert.equal(codeOf(refused), 'GRAPHQL_VALIDATION_FAILED', JSON.stringify(refused.errors));
  assert.match(refused.errors?.[0]?.message ?? '', /depth/i);
});

test('too many aliases are refused with a typed error', async () => {
  const refused = await server.gql(
    '{ a: models { name } b: models { name } c: models { name } d: models { name } }',
  );
  assert.equal(codeOf(refused), 'GRAPHQL_VALIDATION_FAILED', JSON.stringify(refused.errors));
  assert.match(refused.errors?.[0]?.message ?? '', /alias/i);
});

test('a document with too many tokens, or none that parses, is refused with a typed error', async () => {
  const many = await server.gql(`{ ${Array.from({ length: 1200 }, () => '__typename').join(' ')} }`);
  assert.equal(codeOf(many), 'GRAPHQL_PARSE_FAILED', JSON.stringify(many.errors));
  const broken = await server.gql('{ models { name }');
  assert.equal(codeOf(broken), 'GRAPHQL_PARSE_FAILED', JSON.stringify(broken.errors));
});

test('unknown fields are refused without suggesting real ones', async () => {
  const r = await server.gql('{ modelz { name } }');
  assert.equal(codeOf(r), 'GRAPHQL_VALIDATION_FAILED');
  assert.doesNotMatch(r.errors?.[0]?.message ?? '', /Did you mean/);
});

test('an internal failure is masked: a generic message with INTERNAL_SERVER_ERROR, nothing leaked', async () => {
  const up = await server.upload(fixture('grey-96x64.png'));
  const imageId = up.data?.uploadImage.id as string;
  // Lose the stored bytes behind the server's back and make it decode them again.
  const sha = (
    await server.gql<{ image: { sha256: string } }>('query ($i: ID!) { image(id: $i) { sha256 } }', {
      i: imageId,
    })
  ).data?.image.sha256 as string;
  await rm(`${server.config.dataDir}/images/${sha.slice(0, 2)}/${sha}`);
  const other = await startStandInServer({}, { dataDir: server.config.dataDir });
  try {
    const r = await other.gql('mutation ($i: ID!) { caption(imageId: $i) { text } }', { i: imageId });
    assert.equal(codeOf(r), 'INTERNAL_SERVER_ERROR', JSON.stringify(r.errors));
    assert.equal(r.errors?.[0]?.message, 'Unexpected error.');
    assert.doesNotMatch(JSON.stringify(r), /ENOENT|\/images\//);
    assert.equal((await fetch(`${other.url}/health`)).status, 200);
  } finally {
    await other.close();
  }
});

test('with introspection off, introspection is refused and no error suggests enum values', async () => {
  const schema = await server.gql('{ __schema { types { name } } }');
  assert.equal(codeOf(schema), 'GRAPHQL_VALIDATION_FAILED');
  const literal = await server.gql('{ conversations(first: 1) { nodes { id } } models { nmae } }');
  assert.doesNotMatch(JSON.stringify(literal.errors), /Did you mean/);
  const variable = await server.gql(
    'mutation ($o: GenerationOptions) { caption(imageId: "x", options: $o) { text } }',
    { o: { strategy: 'GREEDYY' } },
  );
  assert.equal(codeOf(variable), 'BAD_USER_INPUT');
  assert.doesNotMatch(JSON.stringify(variable.errors), /Did you mean|GREEDY\b/);
});

test('WebSocket upgrades from a foreign origin are refused', async () => {
  const wsUrl = `${server.url.replace('http', 'ws')}/graphql`;
  const status = (origin: string) =>
    new Promise<number | 'open'>((resolve) => {
      const ws = new WebSocket(wsUrl, 'graphql-transport-ws', { origin });
      ws.on('open', () => {
        ws.close();
        resolve('open');
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => {});
    });
  assert.equal(await status('https://evil.example'), 401);
  assert.equal(await status('http://localhost:3000'), 'open');
});
