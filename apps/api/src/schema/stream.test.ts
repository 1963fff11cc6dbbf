// Streaming over SSE and WebSocket on the stand-in engine, whose generations the test holds: deltas add up to the
// stored answer, progress comes before tokens ("2nd in line" seen by a waiting subscriber while the first is held),
// and a subscriber who leaves stops generation and leaves a CANCELLED turn. No fixed waits: every step waits for
// an event (a held generation's start, a stream event) or for the stored turn to change.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StandInEngine } from '@blip/engine/testing';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { fixture, type GqlResult, OWNER, startStandInServer, type TestServer } from '../testing/harness.js';

let server: TestServer & { engine: StandInEngine };
let imageId: string;
before(async () => {
  server = await startStandInServer({
    concurrency: 1,
    maxQueue: 2,
    reply: () => 'a red circle left of a square',
  });
  const up = await server.upload(fixture('shapes-640x480.png'));
  imageId = up.data?.uploadImage.id as string;
});
after(() => server.close());

const ASK = `subscription ($imageId: ID!, $q: String!, $options: GenerationOptions) {
  answerStream(imageId: $imageId, question: $q, options: $options) {
    __typename
    ... on StreamStarted { conversation { id } turn { id status } }
    ... on StreamQueued { position at }
    ... on StreamImage { source at }
    ... on StreamAnswering { at }
    ... on StreamToken { index tokenId delta }
    ... on StreamCompleted { answer { text tokenIds confidence timings { firstTokenMs totalMs } } turn { id status confidence } }
  }
}`;

type Event = Record<string, unknown> & { __typename: string };
const eventOf = (r: GqlResult) => (r.data as { answerStream?: Event }).answerStream as Event;
const names = (events: Event[]) => events.map((e) => e.__typename);

function wsClient() {
  return createClient({
    url: `${server.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { ownerKey: OWNER },
    retryAttempts: 0,
  });
}

/** The stored turn once it has ended (the runner writes the ending; this waits for that write). */
async function ended(turnId: string) {
  for (;;) {
    const turn = await server.app.services.turns.get(turnId);
    assert.ok(turn);
    if (turn.status !== 'PENDING' && server.app.services.runner.inFlight() === 0) return turn;
    await sleep(5);
  }
}

/** Reads a stream's events into `into` until `stop` says so; returns the reader's promise. */
async function readUntil(stream: AsyncIterable<unknown>, into: Event[], stop: (e: Event) => boolean) {
  for await (const item of stream) {
    const r = item as GqlResult;
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    into.push(eventOf(r));
    if (stop(into.at(-1) as Event)) return;
  }
}

test('SSE: started, image, answering, tokens, completed; deltas concatenate to the text; confidence is stored', async () => {
  const events: Event[] = [];
  await readUntil(server.sse(ASK, { imageId, q: 'what is there?' }), events, () => false);
  assert.deepEqual(names(events).slice(0, 3), ['StreamStarted', 'StreamImage', 'StreamAnswering']);
  const last = events.at(-1) as Event & {
    answer: { text: string; confidence: number };
    turn: { id: string; status: string; confidence: number };
  };
  assert.equal(last.__typename, 'StreamCompleted');
  const tokens = events.filter((e) => e.__typename === 'StreamToken');
  assert.deepEqual(
    tokens.map((t) => t.index),
    tokens.map((_, i) => i),
  );
  assert.equal(tokens.map((t) => t.delta).join(''), last.answer.text);
  assert.equal(last.answer.text, 'a red circle left of a square');
  assert.equal(last.turn.status, 'COMPLETED');
  assert.equal(last.turn.confidence, 0.9, "the stand-in's confidence, stored on the turn");
  assert.equal((await ended(last.turn.id)).answer, last.answer.text);
  const stamps = events.flatMap((e) => (typeof e.at === 'string' ? [Date.parse(e.at)] : []));
  assert.deepEqual(
    stamps,
    [...stamps].sort((a, b) => a - b),
  );
});

test('WebSocket: the same stream over graphql-ws, the image read from the cache the second time', async () => {
  const client = wsClient();
  try {
    const events: Event[] = [];
    await readUntil(
      client.iterate({ query: ASK, variables: { imageId, q: 'what color?' } }),
      events,
      () => false,
    );
    assert.deepEqual(names(events).slice(0, 3), ['StreamStarted', 'StreamImage', 'StreamAnswering']);
    assert.equal(events[1]?.source, 'CACHE');
    assert.equal(events.at(-1)?.__typename, 'StreamCompleted');
  } finally {
    await client.dispose();
  }
});

test('while one generation is held, later subscribers are told their place: 1st, then 2nd in line; the line moves', async () => {
  const held = server.engine.hold();
  const first: Event[] = [];
  const second: Event[] = [];
  const third: Event[] = [];
  const reading = readUntil(server.sse(ASK, { imageId, q: 'first?' }), first, () => false);
  await held.started;
  const waiting1 = readUntil(server.sse(ASK, { imageId, q: 'second?' }), second, () => false);
  while (!second.some((e) => e.__typename === 'StreamQueued')) await sleep(5);
  const waiting2 = readUntil(server.sse(ASK, { imageId, q: 'third?' }), third, () => false);
  while (!third.some((e) => e.__typename === 'StreamQueued')) await sleep(5);
  assert.deepEqual(names(second), ['StreamStarted', 'StreamQueued']);
  assert.equal(second[1]?.position, 1);
  assert.deepEqual(names(third), ['StreamStarted', 'StreamQueued']);
  assert.equal(third[1]?.position, 2, '2nd in line');
  held.emit('a', 'square');
  held.release();
  await Promise.all([reading, waiting1, waiting2]);
  assert.deepEqual(names(first).slice(0, 3), ['StreamStarted', 'StreamImage', 'StreamAnswering']);
  assert.deepEqual(
    third.filter((e) => e.__typename === 'StreamQueued').map((e) => e.position),
    [2, 1],
    'the third is told when it moves up',
  );
  for (const events of [second, third]) {
    const order = names(events).filter((n) => n !== 'StreamToken');
    assert.deepEqual(order.slice(-3), ['StreamImage', 'StreamAnswering', 'StreamCompleted']);
  }
});

test('a subscriber past the queue gets OVERLOADED with a path; over POST it is HTTP 429 with Retry-After', async () => {
  const held = server.engine.hold();
  const streams = [0, 1, 2].map(() => {
    const events: Event[] = [];
    return { events, done: readUntil(server.sse(ASK, { imageId, q: 'busy?' }), events, () => false) };
  });
  await held.started;
  while (streams.slice(1).some((s) => !s.events.some((e) => e.__typename === 'StreamQueued'))) await sleep(5);
  const refused: GqlResult[] = [];
  for await (const r of server.sse(ASK, { imageId, q: 'one too many?' })) refused.push(r);
  const error = refused.flatMap((r) => r.errors ?? [])[0];
  assert.equal(error?.extensions?.code, 'OVERLOADED', JSON.stringify(refused));
  assert.deepEqual(error?.path, ['answerStream']);
  // The subscriber was told its turn (StreamStarted): the refusal is stored, so a reload shows it.
  const told = (refused[0]?.data as { answerStream?: { turn?: { id: string } } } | null)?.answerStream?.turn
    ?.id;
  const stored = await server.app.services.turns.get(told as string);
  assert.deepEqual([stored?.status, stored?.errorCode], ['FAILED', 'OVERLOADED']);
  const post = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-owner-key': OWNER },
    body: JSON.stringify({
      query: 'mutation ($i: ID!) { answer(imageId: $i, question: "and me?") { text } }',
      variables: { i: imageId },
    }),
  });
  assert.equal(post.status, 429);
  assert.equal(post.headers.get('retry-after'), String(server.config.retryAfterSeconds));
  const body = (await post.json()) as { errors: { extensions: { code: string } }[] };
  assert.equal(body.errors[0]?.extensions.code, 'OVERLOADED');
  held.release();
  await Promise.all(streams.map((s) => s.done));
  assert.ok(streams.every((s) => s.events.at(-1)?.__typename === 'StreamCompleted'));
});

/** Holds a generation, reads until it has streamed `emit` words, leaves via `leave`, checks what was stored. */
async function leaveMidStream(stream: AsyncIterable<GqlResult>, leave: () => void) {
  const held = server.engine.hold();
  const events: Event[] = [];
  const reading = readUntil(stream, events, (e) => e.__typename === 'StreamToken' && e.index === 1);
  await held.started;
  held.emit('two', 'words');
  await reading;
  leave();
  const turnId = (events[0]?.turn as { id: string } | undefined)?.id as string;
  const turn = await ended(turnId);
  assert.deepEqual(
    server.engine.queueDepth(),
    { running: 0, waiting: 0 },
    'the generation let go of its slot',
  );
  assert.equal(turn.status, 'CANCELLED');
  assert.equal(turn.answer, 'two words');
  assert.equal(turn.timings?.firstTokenMs === null, false, 'a token came: firstTokenMs is a number');
}

test('SSE: closing the connection mid-stream stops generation and stores a CANCELLED turn', async () => {
  const controller = new AbortController();
  const stream = server.sse(ASK, { imageId, q: 'describe everything' }, {}, controller.signal);
  await leaveMidStream(stream, () => controller.abort());
});

test('WebSocket: unsubscribing mid-stream stops generation and stores a CANCELLED turn', async () => {
  const client = wsClient();
  try {
    const stream = client.iterate({ query: ASK, variables: { imageId, q: 'describe everything' } });
    await leaveMidStream(stream as AsyncIterable<GqlResult>, () => {});
  } finally {
    await client.dispose();
  }
});

test('cancelTurn before any token: a CANCELLED error, and the stored turn has firstTokenMs null and a real totalMs', async () => {
  const held = server.engine.hold();
  const stream = server.sse(ASK, { imageId, q: 'go on' });
  const first = await stream.next();
  const turnId = (eventOf(first.value as GqlResult).turn as { id: string }).id;
  await held.started;
  const cancelled = await server.gql<{
    cancelTurn: { status: string; timings: { firstTokenMs: number | null; totalMs: number } | null };
  }>('mutation ($id: ID!) { cancelTurn(id: $id) { status timings { firstTokenMs totalMs } } }', {
    id: turnId,
  });
  assert.equal(cancelled.data?.cancelTurn.status, 'CANCELLED', JSON.stringify(cancelled));
  assert.equal(cancelled.data?.cancelTurn.timings?.firstTokenMs, null);
  assert.ok((cancelled.data?.cancelTurn.timings?.totalMs ?? -1) >= 0);
  let last: GqlResult | undefined;
  for await (const r of stream) last = r;
  assert.equal(last?.errors?.[0]?.extensions?.code, 'CANCELLED', JSON.stringify(last));
});

test('a whole-answer mutation whose client disconnects is stopped and stored as CANCELLED', async () => {
  const held = server.engine.hold();
  const controller = new AbortController();
  const request = fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-owner-key': OWNER },
    body: JSON.stringify({
      query: 'mutation ($i: ID!) { answer(imageId: $i, question: "and then?") { text } }',
      variables: { i: imageId },
    }),
    signal: controller.signal,
  }).catch(() => 'aborted');
  const asked = await held.started;
  assert.equal(asked.question, 'and then?');
  controller.abort();
  assert.equal(await request, 'aborted');
  const r = await server.gql<{
    conversations: { nodes: { turns: { id: string; question: string }[] }[] };
  }>('{ conversations(first: 1) { nodes { turns { id question } } } }');
  const turn = r.data?.conversations.nodes[0]?.turns[0];
  assert.equal(turn?.question, 'and then?');
  assert.equal((await ended(turn?.id as string)).status, 'CANCELLED');
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
        query: 'subscription ($i: ID!) { captionStream(imageId: $i) { __typename } }',
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

test('WebSocket: a bad document is that operation’s error; the socket and its held stream go on', async () => {
  const client = wsClient();
  try {
    const held = server.engine.hold();
    const events: Event[] = [];
    const good = readUntil(
      client.iterate({ query: ASK, variables: { imageId, q: 'still there?' } }),
      events,
      () => false,
    );
    await held.started; // the bad documents arrive while this stream is mid-way
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
    held.emit('yes');
    held.release();
    await good;
    assert.equal(events.at(-1)?.__typename, 'StreamCompleted');
  } finally {
    await client.dispose();
  }
});

test('replaces: a regenerated answer is stored as a new version of the turn it replaces', async () => {
  const first: Event[] = [];
  await readUntil(server.sse(ASK, { imageId, q: 'which shape?' }), first, () => false);
  const started = first[0] as Event & { conversation: { id: string }; turn: { id: string } };
  const conversationId = started.conversation.id;
  const original = started.turn.id;
  const again = await server.gql<{ answer: { turn: { id: string; replaces: string | null } } }>(
    `mutation ($i: ID!, $c: ID, $r: ID) { answer(imageId: $i, question: "which shape, really?", conversationId: $c, replaces: $r) {
       turn { id replaces } } }`,
    { i: imageId, c: conversationId, r: original },
  );
  assert.equal(again.data?.answer.turn.replaces, original, JSON.stringify(again.errors));
  const listed = await server.gql<{ conversation: { turns: { id: string; replaces: string | null }[] } }>(
    'query ($c: ID!) { conversation(id: $c) { turns { id replaces } } }',
    { c: conversationId },
  );
  assert.deepEqual(
    listed.data?.conversation.turns.map((t) => t.replaces),
    [null, original],
    'both versions are kept; the new one says which it replaces',
  );
  const codeOf = (r: GqlResult) => [r.errors?.[0]?.extensions?.code, r.errors?.[0]?.extensions?.field];
  const noConversation = await server.gql(
    'mutation ($i: ID!, $r: ID) { answer(imageId: $i, question: "x?", replaces: $r) { text } }',
    { i: imageId, r: original },
  );
  assert.deepEqual(codeOf(noConversation), ['BAD_USER_INPUT', 'replaces']);
  const elsewhere = await server.gql(
    'mutation ($i: ID!, $c: ID, $r: ID) { answer(imageId: $i, question: "x?", conversationId: $c, replaces: $r) { text } }',
    { i: imageId, c: conversationId, r: 'not-a-turn-of-this-conversation' },
  );
  assert.deepEqual(codeOf(elsewhere), ['NOT_FOUND', 'replaces']);
});
