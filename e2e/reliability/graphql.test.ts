// Hostile GraphQL documents, odd Unicode questions and out-of-range options against the real server: each gets a
// typed error (or an answer) and never a 500, and the server answers normally afterwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Api, startApi } from './api.js';
import { gql, outcome, pngOf, postJson, upload } from './client.js';
import { badOptions, hostileDocuments, oddQuestions } from './hostile.js';
import { recordCase, recordFigure } from './results.js';

const MAX_QUESTION_CHARS = 500;
const ANSWER = `mutation ($i: ID!, $q: String!, $o: GenerationOptions) {
  answer(imageId: $i, question: $q, options: $o) { text }
}`;
let api: Api;
let imageId: string;

before(async () => {
  api = await startApi({ env: { MAX_QUESTION_CHARS: String(MAX_QUESTION_CHARS) } });
  const up = await upload(api.graphql, await pngOf(32, 32));
  imageId = up.data?.uploadImage.id as string;
});
after(() => api.stop());

/** Records a case; its observed outcome includes the HTTP status whenever that is 5xx. */
function check(
  area: string,
  name: string,
  expect: string[],
  status: number,
  code: string,
  failed: string[],
): void {
  const observed = status >= 500 ? `HTTP ${status} ${code}` : code;
  if (!recordCase(area, name, expect.join(' or '), observed, expect.includes(observed)))
    failed.push(`${name}: ${observed}`);
}

test('hostile documents are refused with typed errors before they cost anything', async () => {
  const failed: string[] = [];
  const cases = hostileDocuments();
  for (const c of cases) {
    const started = performance.now();
    const r = await postJson(api.graphql, c.body);
    check('hostile GraphQL', c.name, c.expect, r.status, outcome(r), failed);
    assert.ok(performance.now() - started < 30_000, `${c.name} took too long`);
  }
  recordFigure('hostile GraphQL', 'documents tried', cases.length);
  assert.deepEqual(failed, []);
});

test('overlong and odd Unicode questions: an answer or INVALID_QUESTION', async () => {
  const failed: string[] = [];
  const cases = oddQuestions(MAX_QUESTION_CHARS);
  for (const c of cases) {
    const r = await gql(api.graphql, ANSWER, { i: imageId, q: c.question, o: { maxNewTokens: 4 } });
    check('questions', c.name, c.expect, r.status, outcome(r), failed);
  }
  recordFigure('questions', 'questions tried', cases.length);
  assert.deepEqual(failed, []);
});

test('out-of-range options: INVALID_OPTIONS naming the field, or a coercion error', async () => {
  const failed: string[] = [];
  const cases = badOptions();
  for (const c of cases) {
    const r = await gql(api.graphql, ANSWER, {
      i: imageId,
      q: 'what is it?',
      o: { maxNewTokens: 4, ...c.options },
    });
    check('options', c.name, c.expect, r.status, outcome(r), failed);
    const field = r.errors?.[0]?.extensions?.field;
    if (outcome(r) === 'INVALID_OPTIONS') assert.ok(field, `${c.name}: INVALID_OPTIONS without a field`);
  }
  recordFigure('options', 'option sets tried', cases.length);
  assert.deepEqual(failed, []);
  const still = await gql(api.graphql, ANSWER, { i: imageId, q: 'and now?', o: { maxNewTokens: 4 } });
  assert.ok(recordCase('options', 'a normal answer after all of the above', 'OK', outcome(still)));
});
