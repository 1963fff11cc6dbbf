// Streaming over SSE and WebSocket against the real engine: deltas add up to the stored answer, and a
// subscriber who leaves stops generation (the engine's step counter stops) and leaves a CANCELLED turn.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { fixture, type GqlResult, OWNER, startTestServer, type TestServer } from '../testing/harness.js';

let server: TestServer;
let imageId: string;
before(async () => {
  server = await startTestServer();
  const up = await server.upload(fixture('shapes-640x480.png'));
  imageId = up.data?.uploadImage.id as string;
});
after(() => server.close());

const ASK = `subscription ($imageId: ID!, $q: String!, $options: GenerationOptions) {
  answerStream(imageId: $imageId, question: $q, options: $options) {
    __typename
    ... on StreamStarted { conversation { id } turn { id status } }
    ... on StreamToken { index tokenId delta }
    ... on StreamCompleted { answer { text tokenIds timings { firstTokenMs totalMs } } turn { id status } }
  }
}`;

type Event = Record<string, unknown> & { __typename: string };
const eventOf = (r: GqlResult) => (r.data as { answerStream?: Event; captionStream?: Event }).answerStream;

// Long forced answers (the tiny model allows 128 positions) so there is time to leave mid-stream.
const LONG = { minNewTokens: 110, maxNewTokens: 110 };

function wsClient() {
  return createClient({
    url: `${server.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { ownerKey: OWNER },
    retryAttempts: 0,
  });
}

async function turnStatus(turnId: string): Promise<{ status: string; answer: string | null }> {
  const turn = await server.app.services.turns.get(turnId);
  assert.ok(turn);
  return { status: turn.status, answer: turn.answer };
}

async function waitForEnd(turnId: string) {
  for (let i = 0; i < 200; i++) {
    const t = await turnStatus(turnId);
    if (t.status !== 'PENDING') return t;
    await sleep(10);
  }
  throw new Error(`turn ${turnId} still PENDING`);
}

test('SSE: started, tokens with consecutive indexes, completed; the deltas concatenate to the final text', async () => {
  const events: Event[] = [];
  for await (const r of server.sse(ASK, { imageId, q: 'how many shapes?' })) {
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    events.push(eventOf(r) as Event);
  }
  assert.equal(events[0]?.__typename, 'StreamStarted');
  const last = events.at(-1) as {
    __typename: string;
    answer: { text: string; tokenIds: number[] };
    turn: { id: string; status: string };
  };
  assert.equal(last.__typename, 'StreamCompleted');
  const tokens = events.filter((e) => e.__typename === 'StreamToken') as unknown as {
    index: number;
    delta: string;
  }[];
  assert.ok(tokens.length > 0);
  assert.deepEqual(
    tokens.map((t) => t.index),
    tokens.map((_, i) => i),
  );
  assert.equal(tokens.map((t) => t.delta).join(''), last.answer.text);
  assert.equal(last.turn.status, 'COMPLETED');
  assert.equal((await turnStatus(last.turn.id)).answer, last.answer.text);
});

test('WebSocket: the same stream over graphql-ws', async () => {
  const client = wsClient();
  try {
    const events: Event[] = [];
    for await (const r of client.iterate({ query: ASK, variables: { imageId, q: 'what color is it?' } })) {
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      events.push(eventOf(r as GqlResult) as Event);
    }
    const last = events.at(-1) as { __typename: string; answer: { text: string } };
    assert.equal(last.__typename, 'StreamCompleted');
    const deltas = events.filter((e) => e.__typename === 'StreamToken').map((e) => e.delta);
    assert.equal(deltas.join(''), last.answer.text);
  } finally {
    await client.dispose();
  }
});

/** Reads until `n` tokens arrived, leaves via `leave`, then checks that generation stopped and was stored. */
async function leaveMidStream(stream: AsyncIterable<GqlResult>, leave: () => void) {
  const blip = server.app.services.engine;
  assert.ok(blip);
  const stepsBefore = blip.stats().decoderSteps;
  let turnId = '';
  let received = '';
  let tokens = 0;
  for await (const r of stream) {
    const e = eventOf(r) as Event & { turn?: { id: string }; delta?: string };
    if (e.__typename === 'StreamStarted') turnId = e.turn?.id ?? '';
    if (e.__typename === 'StreamToken') {
      received += e.delta;
      if (++tokens === 3) break;
    }
  }
  leave();
  const ended = await waitForEnd(turnId);
  // Wait until the runner has seen the engine let go (its finally block ran): then nothing is running or
  // waiting, so no further decoder step can come — no fixed wait needed to see that.
  while (server.app.services.runner.inFlight() > 0) await sleep(5);
  assert.deepEqual(blip.queueDepth(), { running: 0, waiting: 0 }, 'the generation still holds a slot');
  const stepsAtEnd = blip.stats().decoderSteps;
  assert.ok(
    stepsAtEnd - stepsBefore < LONG.maxNewTokens,
    `ran ${stepsAtEnd - stepsBefore} steps: not stopped`,
  );
  assert.equal(ended.status, 'CANCELLED');
  assert.ok(ended.answer?.startsWith(received), `stored "${ended.answer}" does not start with "${received}"`);
}

test('SSE: closing the connection mid-stream stops generation and stores a CANCELLED turn', async () => {
  const controller = new AbortController();
  const stream = server.sse(ASK, { imageId, q: 'describe everything', options: LONG }, {}, controller.signal);
  await leaveMidStream(stream, () => controller.abort());
});

test('WebSocket: unsubscribing mid-stream stops generation and stores a CANCELLED turn', async () => {
  const client = wsClient();
  try {
    const stream = client.iterate({
      query: ASK,
      variables: { imageId, q: 'describe everything', options: LONG },
    });
    await leaveMidStream(stream as AsyncIterable<GqlResult>, () => {});
  } finally {
    await client.dispose();
  }
});

test('cancelTurn from another request stops a streaming turn, which ends with a CANCELLED error', async () => {
  const stream = server.sse(ASK, { imageId, q: 'go on', options: LONG });
  const first = await stream.next();
  const turnId = (eventOf(first.value as GqlResult) as { turn?: { id: string } }).turn?.id;
  assert.ok(turnId);
  const cancelled = await server.gql<{ cancelTurn: { status: string; answer: string } }>(
    'mutation ($id: ID!) { cancelTurn(id: $id) { status answer } }',
    { id: turnId },
  );
  assert.equal(cancelled.data?.cancelTurn.status, 'CANCELLED', JSON.stringify(cancelled));
  let last: GqlResult | undefined;
  for await (const r of stream) last = r;
  assert.equal(last?.errors?.[0]?.extensions?.code, 'CANCELLED', JSON.stringify(last));
});

test('a whole-answer query whose client disconnects is stopped and stored as CANCELLED', async () => {
  const blip = server.app.services.engine;
  assert.ok(blip);
  const stepsBefore = blip.stats().decoderSteps;
  const controller = new AbortController();
  const request = fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-owner-key': OWNER },
    body: JSON.stringify({
      query:
        'mutation ($i: ID!, $o: GenerationOptions) { answer(imageId: $i, question: "and then?", options: $o) { text } }',
      variables: { i: imageId, o: LONG },
    }),
    signal: controller.signal,
  }).catch(() => 'aborted');
  while (blip.stats().decoderSteps < stepsBefore + 5) await sleep(2);
  controller.abort();
  assert.equal(await request, 'aborted');
  const latest = async () => {
    const r = await server.gql<{
      conversations: { nodes: { turns: { question: string; status: string }[] }[] };
    }>('{ conversations(first: 1) { nodes { turns { question status } } } }');
    return r.data?.conversations.nodes[0]?.turns[0];
  };
  let turn = await latest();
  for (let i = 0; i < 200 && turn?.status === 'PENDING'; i++) {
    await sleep(10);
    turn = await latest();
  }
  assert.deepEqual(turn, { question: 'and then?', status: 'CANCELLED' });
  assert.ok(blip.stats().decoderSteps - stepsBefore < LONG.maxNewTokens);
});

test('many subscriptions on one WebSocket leave no listeners behind', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  const client = wsClient();
  try {
    for (let i = 0; i < 15; i++) {
      const events = [];
      for await (const r of client.iterate({
        query:
          'subscription ($i: ID!) { captionStream(imageId: $i, options: { maxNewTokens: 1 }) { __typename } }',
        variables: { i: imageId },
      })) {
        events.push(r);
      }
      assert.equal(events.length >= 2, true);
    }
  } finally {
    await client.dispose();
    process.off('warning', onWarning);
  }
  assert.deepEqual(warnings, []);
});

test('WebSocket: a bad document is that operation’s error; the socket and its other stream go on', async () => {
  const client = wsClient();
  try {
    let firstToken = () => {};
    const streaming = new Promise<void>((resolve) => {
      firstToken = resolve;
    });
    const good = (async () => {
      const events: Event[] = [];
      const variables = { imageId, q: 'still streaming?', options: LONG };
      for await (const r of client.iterate({ query: ASK, variables })) {
        events.push(eventOf(r as GqlResult) as Event);
        if (events.at(-1)?.__typename === 'StreamToken') firstToken();
      }
      return events;
    })();
    await streaming; // the bad documents arrive while this stream is mid-way
    for (const query of ['subscription { captionStream(', `{ ${'__typename '.repeat(2000)} }`]) {
      await assert.rejects(
        (async () => {
          for await (const _ of client.iterate({ query })) {
            // no event expected
          }
        })(),
        (errors: unknown) => Array.isArray(errors) && /GRAPHQL_PARSE_FAILED/.test(JSON.stringify(errors)),
      );
    }
    const events = await good;
    assert.equal(events.at(-1)?.__typename, 'StreamCompleted');
  } finally {
    await client.dispose();
  }
});
