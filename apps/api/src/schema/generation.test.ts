// Upload → caption → answer → follow-up on the real engine (tiny-vqa): stored turns, cache reuse, timings.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixture, startTestServer, type TestServer } from '../testing/harness.js';

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
  const blip = server.app.services.models.list()[0]?.blip;
  assert.ok(blip);
  const up = await server.upload(fixture('shapes-640x480.png'), 'shapes.png');
  const imageId = up.data?.uploadImage.id;
  assert.ok(imageId, JSON.stringify(up));
  const visionBefore = blip.stats().visionRuns;

  const caption = await server.gql<{ caption: AnswerData }>(
    `query ($imageId: ID!) { caption(imageId: $imageId) { ${ANSWER_FIELDS} } }`,
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
      `query ($imageId: ID!, $q: String!, $c: ID) { answer(imageId: $imageId, question: $q, conversationId: $c) { ${ANSWER_FIELDS} } }`,
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
    `query ($imageId: ID!) { answer(imageId: $imageId, question: "what is it?",
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
      `query ($imageId: ID!, $c: ID) { caption(imageId: $imageId, conversationId: $c) { text tokenIds turn { options { seed } } } }`,
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
