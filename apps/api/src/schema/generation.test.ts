// Upload → caption → answer → follow-up on the real engine (tiny-vqa): stored turns, cache reuse, timings.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { anonOwner } from '../owner.js';
import { fixture, OWNER, startTestServer, type TestServer } from '../testing/harness.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const ANSWER_FIELDS = `text tokenIds finishReason imageCacheHit model precision
  alternatives { text score tokenIds }
  timings { queueMs preprocessMs visionMs textEncoderMs firstTokenMs perTokenMs totalMs }
  conversation { id turns { index kind question answer status } }
  turn { id index status }`;

interface AnswerData {
  text: string;
  tokenIds: number[];
  imageCacheHit: boolean;
  alternatives: { text: string; score: number }[];
  timings: { totalMs: number; firstTokenMs: number; visionMs: number };
  conversation: {
    id: string;
    turns: { index: number; kind: string; question: string | null; answer: string; status: string }[];
  };
  turn: { id: string; index: number; status: string };
}

test('upload, caption, answer and a follow-up: one conversation, the vision encoder runs once', async () => {
  const blip = server.app.services.engine;
  assert.ok(blip);
  const visionBefore = blip.stats().visionRuns; // the upload runs it for its search vector, the turns reuse it
  const up = await server.upload(fixture('shapes-640x480.png'), 'shapes.png');
  const imageId = up.data?.uploadImage.id;
  assert.ok(imageId, JSON.stringify(up));

  const caption = await server.gql<{ caption: AnswerData }>(
    `mutation ($imageId: ID!) { caption(imageId: $imageId) { ${ANSWER_FIELDS} } }`,
    { imageId },
  );
  assert.equal(caption.errors, undefined, JSON.stringify(caption.errors));
  const c = caption.data?.caption;
  assert.ok(c && c.text.length > 0 && c.tokenIds.length > 0);
  assert.equal(c.alternatives[0]?.text, c.text);
  assert.ok(c.timings.totalMs > 0 && c.timings.firstTokenMs > 0);
  assert.equal(c.turn.status, 'COMPLETED');
  const conversationId = c.conversation.id;
  assert.equal(blip.stats().visionRuns, visionBefore + 1);

  const ask = (question: string) =>
    server.gql<{ answer: AnswerData }>(
      `mutation ($imageId: ID!, $q: String!, $c: ID) { answer(imageId: $imageId, question: $q, conversationId: $c) { ${ANSWER_FIELDS} } }`,
      { imageId, q: question, c: conversationId },
    );
  const first = await ask('how many circles are there?');
  const second = await ask('what color is the square?');
  for (const r of [first, second]) {
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.equal(r.data?.answer.imageCacheHit, true);
    assert.equal(r.data?.answer.timings.visionMs, 0);
  }
  assert.equal(
    blip.stats().visionRuns,
    visionBefore + 1,
    'follow-up questions must not rerun the vision encoder',
  );
  const turns = second.data?.answer.conversation.turns ?? [];
  assert.deepEqual(
    turns.map((t) => [t.index, t.kind, t.question, t.status]),
    [
      [0, 'CAPTION', null, 'COMPLETED'],
      [1, 'QUESTION', 'how many circles are there?', 'COMPLETED'],
      [2, 'QUESTION', 'what color is the square?', 'COMPLETED'],
    ],
  );
  assert.equal(turns[2]?.answer, second.data?.answer.text);
});

test('beam search returns numReturnSequences alternatives, best first, and records the options on the turn', async () => {
  const up = await server.upload(fixture('photo-640x480.jpg'), 'photo.jpg');
  const imageId = up.data?.uploadImage.id;
  const r = await server.gql<{ answer: AnswerData & { turn: { options: Record<string, unknown> } } }>(
    `mutation ($imageId: ID!) { answer(imageId: $imageId, question: "what is it?",
       options: { strategy: BEAM, numBeams: 3, numReturnSequences: 3, maxNewTokens: 8 }) {
       text alternatives { text score } turn { options { strategy numBeams numReturnSequences maxNewTokens } } } }`,
    { imageId },
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const a = r.data?.answer;
  assert.equal(a?.alternatives.length, 3);
  assert.equal(a?.alternatives[0]?.text, a?.text);
  const scores = a?.alternatives.map((x) => x.score) ?? [];
  assert.deepEqual(
    scores,
    [...scores].sort((x, y) => y - x),
  );
  assert.deepEqual(a?.turn.options, {
    strategy: 'BEAM',
    numBeams: 3,
    numReturnSequences: 3,
    maxNewTokens: 8,
  });
});

test('seeded sampling repeats exactly; conversation settings apply to every turn', async () => {
  const up = await server.upload(fixture('grey-96x64.png'), 'grey.png');
  const imageId = up.data?.uploadImage.id;
  const created = await server.gql<{ createConversation: { id: string } }>(
    `mutation ($imageId: ID!) { createConversation(imageId: $imageId,
       settings: { strategy: SAMPLE, seed: 7, temperature: 1.5, maxNewTokens: 6 }) { id settings { strategy seed } } }`,
    { imageId },
  );
  const conversationId = created.data?.createConversation.id;
  assert.ok(conversationId, JSON.stringify(created));
  const run = () =>
    server.gql<{ caption: { text: string; tokenIds: number[]; turn: { options: { seed: number } } } }>(
      `mutation ($imageId: ID!, $c: ID) { caption(imageId: $imageId, conversationId: $c) { text tokenIds turn { options { seed } } } }`,
      { imageId, c: conversationId },
    );
  const [a, b] = [await run(), await run()];
  assert.equal(a.errors, undefined, JSON.stringify(a.errors));
  assert.deepEqual(a.data?.caption.tokenIds, b.data?.caption.tokenIds);
  assert.ok((a.data?.caption.tokenIds.length ?? 0) <= 6);
  assert.equal(a.data?.caption.turn.options.seed, 7);
});

test('models lists the loaded model with its family and per-part precision', async () => {
  const r = await server.gql<{
    models: {
      name: string;
      family: string;
      precision: string;
      isDefault: boolean;
      parts: { part: string; precision: string }[];
    }[];
  }>('{ models { name family precision isDefault parts { part precision } } }');
  const m = r.data?.models[0];
  assert.equal(m?.name, 'tiny-vqa');
  assert.equal(m?.family, 'BLIP_VQA');
  assert.equal(m?.precision, 'FP32');
  assert.equal(m?.isDefault, true);
  assert.ok(m?.parts.some((p) => p.part === 'text_decoder' && p.precision === 'FP32'));
});

const codeOf = (r: { errors?: { extensions?: { code?: string; field?: string } }[] }) => [
  r.errors?.[0]?.extensions?.code,
  r.errors?.[0]?.extensions?.field,
];

test('bad generation inputs are typed errors naming the field, and leave nothing stored', async () => {
  const imageId = (await server.upload(fixture('pixel-1x1.png'))).data?.uploadImage.id;
  const countBefore = await server.app.services.conversations.count(anonOwner(OWNER));
  const totalBefore = (
    await server.gql<{ conversations: { totalCount: number } }>('{ conversations { totalCount } }')
  ).data?.conversations.totalCount;
  const ask = (question: string, options: Record<string, unknown> = {}, conversationId?: string) =>
    server.gql(
      'mutation ($i: ID!, $q: String!, $o: GenerationOptions, $c: ID) { answer(imageId: $i, question: $q, options: $o, conversationId: $c) { text } }',
      { i: imageId, q: question, o: options, c: conversationId },
    );
  const cases: [Promise<Parameters<typeof codeOf>[0]>, string, string | undefined][] = [
    [ask('x'.repeat(10_000)), 'INVALID_QUESTION', 'question'],
    [ask('   '), 'INVALID_QUESTION', 'question'],
    [ask('ok?', { topP: 2 }), 'INVALID_OPTIONS', 'topP'],
    [ask('ok?', { strategy: 'BEAM', numBeams: 40 }), 'INVALID_OPTIONS', 'numBeams'],
    [
      ask('ok?', { strategy: 'BEAM', numBeams: 2, numReturnSequences: 3 }),
      'INVALID_OPTIONS',
      'numReturnSequences',
    ],
    [ask('ok?', { strategy: 'GREEDY', temperature: 0.5 }), 'INVALID_OPTIONS', 'temperature'],
    [ask('ok?', { temperature: 0 }), 'INVALID_OPTIONS', 'temperature'],
    [ask('ok?', { maxNewTokens: 0 }), 'INVALID_OPTIONS', 'maxNewTokens'],
    [ask('ok?', { maxNewTokens: 400 }), 'INVALID_OPTIONS', 'maxNewTokens'], // past the tiny model's 128 positions
    [ask('ok?', { model: 'no-such-model' }), 'INVALID_OPTIONS', 'model'],
    [ask('ok?', { precision: 'INT8' }), 'INVALID_OPTIONS', 'precision'],
    [ask('ok?', { strategy: 'FAST' }), 'BAD_USER_INPUT', 'o'],
    [ask('ok?', {}, 'AAAAAAAAAAAAAAAAAAAAAA'), 'NOT_FOUND', 'conversationId'],
    [server.gql('mutation { answer(imageId: "nope", question: "hi") { text } }'), 'NOT_FOUND', 'imageId'],
    [server.gql('{ conversation(id: "nope") { id } }'), 'NOT_FOUND', 'id'],
    [server.gql('{ conversations(first: 1000) { totalCount } }'), 'BAD_USER_INPUT', 'first'],
    [server.gql('{ conversations(after: "garbage") { totalCount } }'), 'BAD_USER_INPUT', 'after'],
  ];
  for (const [pending, code, field] of cases) {
    const r = await pending;
    assert.deepEqual(codeOf(r), [code, field], JSON.stringify(r.errors));
  }
  const totalAfter = (
    await server.gql<{ conversations: { totalCount: number } }>('{ conversations { totalCount } }')
  ).data?.conversations.totalCount;
  assert.equal(totalAfter, totalBefore, 'refused requests must not create conversations');
  assert.equal(await server.app.services.conversations.count(anonOwner(OWNER)), countBefore);
});

test('a turn added to a conversation must be about its image', async () => {
  const a = (await server.upload(fixture('tall-300x800.png'))).data?.uploadImage.id;
  const b = (await server.upload(fixture('alpha-120x120.png'))).data?.uploadImage.id;
  const first = await server.gql<{ caption: { conversation: { id: string } } }>(
    'mutation ($i: ID!) { caption(imageId: $i, options: { maxNewTokens: 3 }) { conversation { id } } }',
    { i: a },
  );
  const r = await server.gql(
    'mutation ($i: ID!, $c: ID) { caption(imageId: $i, conversationId: $c) { text } }',
    {
      i: b,
      c: first.data?.caption.conversation.id,
    },
  );
  assert.deepEqual(codeOf(r), ['BAD_USER_INPUT', 'imageId']);
});
