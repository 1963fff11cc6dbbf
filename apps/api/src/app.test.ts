// The server's life: operations routes, restart with everything kept, a SIGKILL mid-answer leaving the turn
// INTERRUPTED, and graceful shutdown interrupting in-flight work and closing the database.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import type { Engine } from '@blip/engine';
import { StandInEngine } from '@blip/engine/testing';
import { getIntrospectionQuery } from 'graphql';
import { startApp } from './app.js';
import { loadConfig } from './config.js';
import {
  fixture,
  OWNER,
  readSse,
  startStandInServer,
  startTestServer,
  TINY_MODEL,
  tempDataDir,
  uploadForm,
} from './testing/harness.js';

const LONG = { minNewTokens: 110, maxNewTokens: 110 };
const ASK = `subscription ($i: ID!, $o: GenerationOptions) {
  answerStream(imageId: $i, question: "what is there?", options: $o) {
    __typename ... on StreamStarted { turn { id } } ... on StreamToken { delta }
  }
}`;
const TURNS = '{ conversations { nodes { id turns { kind question answer status error { code } } } } }';

test('/health, /ready, /metrics and GraphiQL answer', async () => {
  const server = await startTestServer();
  try {
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
    const ready = await fetch(`${server.url}/ready`);
    assert.deepEqual([ready.status, await ready.json()], [200, { status: 'ready' }]);
    const up = await server.upload(fixture('photo-640x480.jpg'));
    await server.gql('mutation ($i: ID!) { caption(imageId: $i) { text } }', { i: up.data?.uploadImage.id });
    const metrics = await server.metrics();
    for (const name of [
      'blip_graphql_operations_total{type="mutation",outcome="ok"}',
      'blip_queue_depth{state="waiting"} 0',
      'blip_queue_wait_seconds_count{model="tiny-vqa"} 1',
      'blip_time_to_first_token_seconds_count{model="tiny-vqa"} 1',
      'blip_decode_tokens_per_second_count{model="tiny-vqa"} 1',
      'blip_stage_seconds_count{model="tiny-vqa",stage="upload_vector"} 1', // the caption then reads the cache
      'blip_upload_vectors_total{outcome="stored"} 1',
      'blip_image_cache_misses 1',
      'blip_image_uploads_total 1',
      'blip_turns_total{kind="CAPTION",status="COMPLETED"} 1',
      'blip_http_requests_total{route="/health",status="200"} 1',
    ]) {
      assert.ok(metrics.includes(name), `metrics lack ${name}`);
    }
    const graphiql = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await graphiql.text();
    assert.equal(graphiql.status, 200);
    assert.ok(html.includes('BLIP visual question answering') && html.includes('answerStream'));
    assert.ok(!html.includes('unpkg.com'), 'GraphiQL must not load scripts from a CDN');
  } finally {
    await server.close();
  }
});

test('/ready is 503 while the models load, /health already 200, GraphQL NOT_READY', async () => {
  const dataDir = tempDataDir('blip-api-ready-');
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', models: [TINY_MODEL], dataDir });
  // The engine "loads" until the test has its answers from the loading server: no race with a real load.
  let loaded: (engine: Engine) => void = () => {};
  const loading = new Promise<Engine>((resolve) => {
    loaded = resolve;
  });
  let during: Promise<[number, number, string | undefined]> | undefined;
  const app = await startApp(config, {
    engine: () => loading,
    onListening: (url) => {
      during = Promise.all([
        fetch(`${url}/ready`).then((r) => r.status),
        fetch(`${url}/health`).then((r) => r.status),
        fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ models { name } }' }),
        })
          .then((r) => r.json() as Promise<{ errors: { extensions: { code: string } }[] }>)
          .then((b) => b.errors[0]?.extensions.code),
      ]);
      void during.finally(() => loaded(new StandInEngine()));
    },
  });
  try {
    assert.deepEqual(await during, [503, 200, 'NOT_READY']);
    assert.equal((await fetch(`${app.url}/ready`)).status, 200);
  } finally {
    await app.close();
  }
});

test("GraphiQL's full introspection query passes the default query limits", async () => {
  const server = await startTestServer();
  try {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      inputValueDeprecation: true,
    });
    const r = await server.gql<{ __schema: { types: unknown[] } }>(query);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.ok((r.data?.__schema.types.length ?? 0) > 20);
  } finally {
    await server.close();
  }
});

test('a restart keeps images, conversations and turns', async () => {
  const first = await startTestServer();
  const dataDir = first.config.dataDir;
  const imageId = (await first.upload(fixture('shapes-640x480.png'))).data?.uploadImage.id as string;
  const caption = await first.gql<{ caption: { conversation: { id: string } } }>(
    'mutation ($i: ID!) { caption(imageId: $i) { conversation { id } } }',
    { i: imageId },
  );
  const c = caption.data?.caption.conversation.id;
  await first.gql(
    'mutation ($i: ID!, $c: ID) { answer(imageId: $i, question: "how many?", conversationId: $c) { text } }',
    {
      i: imageId,
      c,
    },
  );
  const before = await first.gql(TURNS);
  await first.close();

  const second = await startTestServer({ dataDir });
  try {
    const afterRestart = await second.gql(TURNS);
    assert.deepEqual(afterRestart.data, before.data);
    const image = await fetch(`${second.url}/images/${imageId}`, { headers: { 'x-owner-key': OWNER } });
    assert.equal(image.status, 200);
    assert.deepEqual(new Uint8Array(await image.arrayBuffer()), fixture('shapes-640x480.png'));
    // and the conversation goes on
    const more = await second.gql<{ answer: { turn: { index: number } } }>(
      'mutation ($i: ID!, $c: ID) { answer(imageId: $i, question: "and now?", conversationId: $c) { turn { index } } }',
      { i: imageId, c },
    );
    assert.equal(more.data?.answer.turn.index, 2);
  } finally {
    await second.close();
  }
});

test('a server killed (SIGKILL) mid-answer leaves that turn INTERRUPTED after restart', async () => {
  const dataDir = tempDataDir('blip-api-kill-');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, BLIP_MODELS: TINY_MODEL },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await listeningUrl(child.stdout);
    const up = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'x-graphql-yoga-csrf': '1', 'x-owner-key': OWNER },
      body: uploadForm(fixture('photo-640x480.jpg'), 'photo.jpg'),
    });
    const imageId = ((await up.json()) as { data: { uploadImage: { id: string } } }).data.uploadImage.id;
    const stream = readSse(`${url}/graphql`, ASK, { i: imageId, o: LONG }, { 'x-owner-key': OWNER });
    let tokens = 0;
    for await (const r of stream) {
      if ((r.data as { answerStream: { __typename: string } }).answerStream.__typename === 'StreamToken')
        tokens++;
      if (tokens === 2) break;
    }
    child.kill('SIGKILL');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  await new Promise((resolve) => child.once('exit', resolve));

  const restarted = await startTestServer({ dataDir });
  try {
    assert.equal(restarted.app.interruptedAtStart, 1);
    const r = await restarted.gql<{ conversations: { nodes: { turns: unknown[] }[] } }>(TURNS);
    assert.deepEqual(r.data?.conversations.nodes[0]?.turns, [
      {
        kind: 'QUESTION',
        question: 'what is there?',
        answer: null,
        status: 'INTERRUPTED',
        error: { code: 'SHUTTING_DOWN' },
      },
    ]);
  } finally {
    await restarted.close();
  }
});

test('graceful shutdown interrupts in-flight turns, stores them, and closes the database', async () => {
  const server = await startStandInServer({}, { shutdownGraceMs: 0 });
  const held = server.engine.hold();
  const imageId = (await server.upload(fixture('tall-300x800.png'))).data?.uploadImage.id as string;
  const stream = server.sse(ASK, { i: imageId });
  const first = await stream.next();
  const turnId = (first.value?.data as { answerStream: { turn: { id: string } } } | undefined)?.answerStream
    .turn.id as string;
  await held.started;
  const { turns } = server.app.services;
  await server.close();
  await assert.rejects(turns.get(turnId), /driver has already been destroyed/);
  const reopened = await startStandInServer({}, { dataDir: server.config.dataDir });
  try {
    assert.equal(reopened.app.interruptedAtStart, 0, 'the shutdown must have stored the ending itself');
    assert.equal((await reopened.app.services.turns.get(turnId))?.status, 'INTERRUPTED');
  } finally {
    await reopened.close();
  }
  await assert.rejects(fetch(`${server.url}/health`));
});

test('graceful shutdown lets in-flight turns finish within the grace period, refusing new requests', async () => {
  const server = await startStandInServer({}, { shutdownGraceMs: 60_000 });
  const held = server.engine.hold();
  const imageId = (await server.upload(fixture('grey-96x64.png'))).data?.uploadImage.id as string;
  const stream = server.sse(ASK, { i: imageId });
  const first = await stream.next();
  const turnId = (first.value?.data as { answerStream: { turn: { id: string } } } | undefined)?.answerStream
    .turn.id;
  assert.ok(turnId);
  await held.started;
  const closing = server.close();
  const refused = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-owner-key': OWNER },
    body: JSON.stringify({ query: '{ models { name } }' }),
  }).then(
    (r) => r.status,
    () => 'connection refused',
  );
  assert.ok(refused === 503 || refused === 'connection refused', `a new request got ${refused}`);
  // The server is closing and the turn still running: the test lets it finish now.
  held.emit(...Array.from({ length: 60 }, (_, i) => `w${i}`));
  held.release();
  let tokens = 0;
  for await (const r of stream) {
    if ((r.data as { answerStream: { __typename: string } }).answerStream.__typename === 'StreamToken')
      tokens++;
  }
  await closing;
  assert.equal(tokens, 60, 'the stream was cut short');
  const reopened = await startStandInServer({}, { dataDir: server.config.dataDir });
  try {
    assert.equal((await reopened.app.services.turns.get(turnId))?.status, 'COMPLETED');
  } finally {
    await reopened.close();
  }
});

/** Reads the child's JSON log lines until it says it is listening with its models loaded. */
async function listeningUrl(stdout: NodeJS.ReadableStream): Promise<string> {
  for await (const line of createInterface({ input: stdout })) {
    const event = JSON.parse(line) as { event: string; url?: string };
    if (event.event === 'listening' && event.url) return event.url;
  }
  throw new Error('the server exited before listening');
}
