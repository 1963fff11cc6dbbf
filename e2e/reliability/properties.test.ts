// Property-based tests through the real API (fast-check, bounded runs, fixed seeds so failures replay):
// random options and questions give an answer or a typed error with a known code, never a 500;
// and streamed deltas always concatenate to the final answer, which is also what the database stored.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { type Api, startApi } from './api.js';
import { type Gql, gql, outcome, pngOf, sse, upload } from './client.js';
import { recordCase, recordFigure } from './results.js';

/** Runs per property: enough to cover the option space, few enough for 2 busy cores. */
const RUNS_INPUTS = 80;
const RUNS_STREAM = 30;
const SEED = 20261128;
/** Codes an input error may carry (apps/api/src/errors.ts plus GraphQL's own coercion errors). */
const INPUT_CODES = new Set([
  'OK',
  'INVALID_OPTIONS',
  'INVALID_QUESTION',
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
]);
const ANSWER = `mutation ($i: ID!, $q: String!, $o: GenerationOptions) {
  answer(imageId: $i, question: $q, options: $o) { text turn { id } }
}`;
const STREAM = `subscription ($i: ID!, $q: String!, $o: GenerationOptions) {
  answerStream(imageId: $i, question: $q, options: $o) {
    __typename
    ... on StreamStarted { turn { id } }
    ... on StreamToken { delta index }
    ... on StreamCompleted { answer { text } }
  }
}`;
let api: Api;
let imageId: string;

before(async () => {
  api = await startApi();
  imageId = (await upload(api.graphql, await pngOf(40, 30, [10, 200, 90]))).data?.uploadImage.id as string;
});
after(() => api.stop());

const int = (min: number, max: number) =>
  fc.oneof(fc.integer({ min, max }), fc.constantFrom(-1, 0, 2 ** 31 - 1, -(2 ** 31)));
const float = fc.oneof(fc.double({ min: -2, max: 3, noNaN: true }), fc.constantFrom(0, 1, 1e308, -1e-300));
/** Any combination of options, in and out of range, including wrong types now and then. */
const optionsArb = fc.record(
  {
    strategy: fc.constantFrom('GREEDY', 'BEAM', 'SAMPLE', 'NOPE'),
    maxNewTokens: int(-3, 24),
    minNewTokens: int(-3, 24),
    numBeams: int(0, 18),
    numReturnSequences: int(0, 5),
    temperature: float,
    topK: int(-2, 50),
    topP: float,
    repetitionPenalty: float,
    lengthPenalty: float,
    seed: int(-5, 1000),
    model: fc.constantFrom('tiny-vqa', 'other', ''),
  },
  { requiredKeys: [] },
);
/** Options inside every range, so a good share of runs really generate. */
const validOptionsArb = fc.oneof(
  fc.record({ strategy: fc.constant('GREEDY'), maxNewTokens: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    strategy: fc.constant('BEAM'),
    numBeams: fc.integer({ min: 2, max: 4 }),
    numReturnSequences: fc.integer({ min: 1, max: 2 }),
    lengthPenalty: fc.double({ min: -1, max: 2, noNaN: true }),
    maxNewTokens: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({
    strategy: fc.constant('SAMPLE'),
    temperature: fc.double({ min: 0.05, max: 3, noNaN: true }),
    topK: fc.integer({ min: 0, max: 50 }),
    topP: fc.double({ min: 0.01, max: 1, noNaN: true }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    repetitionPenalty: fc.double({ min: 1, max: 3, noNaN: true }),
    maxNewTokens: fc.integer({ min: 1, max: 16 }),
  }),
);
const questionArb = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ minLength: 490, maxLength: 520 }),
);

test('random options and questions: an answer or a typed input error, never a 500', async () => {
  const seen = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.oneof(validOptionsArb, optionsArb), questionArb, async (options, question) => {
      const r = await gql(api.graphql, ANSWER, {
        i: imageId,
        q: question,
        o: { maxNewTokens: 8, ...options },
      });
      const code = outcome(r);
      seen.set(code, (seen.get(code) ?? 0) + 1);
      assert.ok(r.status < 500, `HTTP ${r.status} for ${JSON.stringify(options)}`);
      assert.ok(INPUT_CODES.has(code), `unexpected ${code} for ${JSON.stringify({ options, question })}`);
    }),
    { numRuns: RUNS_INPUTS, seed: SEED },
  );
  const observed = [...seen].map(([c, n]) => `${c}×${n}`).join(', ');
  recordCase(
    'properties',
    `${RUNS_INPUTS} random option sets + questions`,
    'answer or typed input error',
    observed,
    true,
  );
  recordFigure('properties', 'random GraphQL inputs tried', RUNS_INPUTS);
  assert.equal((await fetch(`${api.url}/health`)).status, 200);
});

/** One event of answerStream, as selected by STREAM. */
interface StreamEvent {
  __typename: 'StreamStarted' | 'StreamToken' | 'StreamCompleted';
  turn?: { id: string };
  delta?: string;
  index?: number;
  answer?: { text: string };
}

/** Streams one answer; returns the concatenated deltas, the final text and the turn id. */
async function streamOnce(question: string, options: Record<string, unknown>) {
  let deltas = '';
  let final: string | undefined;
  let turnId: string | undefined;
  let lastIndex = -1;
  for await (const ev of sse(api.graphql, STREAM, { i: imageId, q: question, o: options })) {
    const e = (ev as Gql<{ answerStream: StreamEvent }>).data?.answerStream;
    if (!e) throw new Error(`stream error ${outcome(ev)}`);
    if (e.__typename === 'StreamStarted') turnId = e.turn?.id;
    if (e.__typename === 'StreamToken') {
      assert.equal(e.index, lastIndex + 1, 'token indexes are consecutive');
      lastIndex = e.index ?? Number.NaN;
      deltas += e.delta;
    }
    if (e.__typename === 'StreamCompleted') final = e.answer?.text;
  }
  return { deltas, final, turnId };
}

test('streamed deltas concatenate to the final answer and to the stored turn', async () => {
  const wordish = fc.string({
    unit: fc.constantFrom(...'abcdefghij ?'.split('')),
    minLength: 1,
    maxLength: 30,
  });
  await fc.assert(
    fc.asyncProperty(
      wordish.filter((q) => q.trim() !== ''),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 0, max: 10_000 }),
      fc.boolean(),
      async (question, maxNewTokens, seed, sample) => {
        const options = sample
          ? { strategy: 'SAMPLE', seed, temperature: 1.5, maxNewTokens }
          : { maxNewTokens, minNewTokens: Math.min(maxNewTokens, seed % 20) };
        const { deltas, final, turnId } = await streamOnce(question, options);
        assert.equal(deltas, final);
        const stored = await gql<{ conversations: { nodes: { turns: { id: string; answer: string }[] }[] } }>(
          api.graphql,
          '{ conversations(first: 1) { nodes { turns { id answer } } } }',
        );
        const turn = stored.data?.conversations.nodes[0]?.turns.find((t) => t.id === turnId);
        assert.equal(turn?.answer, final, 'the stored answer is the streamed one');
      },
    ),
    { numRuns: RUNS_STREAM, seed: SEED },
  );
  recordCase(
    'properties',
    `${RUNS_STREAM} random streams (greedy and sampled, 1–40 tokens)`,
    'deltas = final = stored',
    'deltas = final = stored',
  );
  recordFigure('properties', 'streams checked', RUNS_STREAM);
});
