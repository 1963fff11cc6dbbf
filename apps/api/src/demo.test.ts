// On the bundled demo model (models/shapes-demo, and its INT8 build when made), answers through the API are
// right: its sample scenes come with the generator's true captions and answers. Skipped, saying so, until
// the toolchain has made the model.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './config.js';
import type { LoadedModel } from './models/catalog.js';
import { startTestServer, type TestServer } from './testing/harness.js';

const DEMO = resolve(REPO_ROOT, 'models/shapes-demo');
const DEMO_INT8 = resolve(REPO_ROOT, 'models/shapes-demo-int8');
const SAMPLES = join(DEMO, 'samples');
/** Floor for exact-match answers on the 36 sample questions: the bundled model (step 28,900) gets 35 FP16 and 34 INT8
 * at bf16 (captions 12 of 12), as its 1,000-question sets' 98-99 % lead one to expect (models/shapes-demo/README.md);
 * 0.85 leaves room for other precisions and still fails a broken path. That the API loses nothing is checked exactly,
 * against the engine. */
const MIN_ACCURACY = 0.85;

interface Sample {
  file: string;
  caption: string;
  qa: { question: string; answer: string; type: string }[];
}

const present = existsSync(join(DEMO, 'manifest.json')) && existsSync(join(SAMPLES, 'samples.json'));

/** Captions one sample and asks its questions in one conversation; returns [question, got, expected] rows. */
async function askSample(
  server: TestServer,
  model: LoadedModel,
  sample: Sample,
): Promise<{ caption: string; rows: string[][] }> {
  const bytes = new Uint8Array(readFileSync(join(SAMPLES, sample.file)));
  const imageId = (await server.upload(bytes, sample.file)).data?.uploadImage.id;
  assert.ok(imageId);
  const caption = await server.gql<{ caption: { text: string; conversation: { id: string } } }>(
    'mutation ($i: ID!, $m: String) { caption(imageId: $i, options: { model: $m }) { text conversation { id } } }',
    { i: imageId, m: model.name },
  );
  assert.ok(caption.data?.caption.text, JSON.stringify(caption.errors));
  const rows: string[][] = [];
  for (const qa of sample.qa) {
    const r = await server.gql<{ answer: { text: string } }>(
      `mutation ($i: ID!, $q: String!, $c: ID, $m: String) {
         answer(imageId: $i, question: $q, conversationId: $c, options: { model: $m }) { text } }`,
      { i: imageId, q: qa.question, c: caption.data.caption.conversation.id, m: model.name },
    );
    const viaApi: string = r.data?.answer.text ?? JSON.stringify(r.errors);
    const direct = await server.app.services.engine.run({
      task: 'answer',
      model: model.name,
      image: { key: createHash('sha256').update(bytes).digest('hex'), load: async () => bytes },
      question: qa.question,
    });
    assert.equal(viaApi, direct.text, `${sample.file} "${qa.question}": the API answered unlike the engine`);
    rows.push([qa.question, viaApi, qa.answer]);
  }
  return { caption: caption.data.caption.text, rows };
}

/** Asks every sample on one model and holds its answers to the accuracy floor. */
async function checkModel(server: TestServer, model: LoadedModel, samples: Sample[]): Promise<void> {
  const wrong: string[] = [];
  let right = 0;
  let asked = 0;
  let captionsRight = 0;
  for (const sample of samples) {
    const { caption, rows } = await askSample(server, model, sample);
    // Captions are long and the model is small: they are reported; the answers are held to account.
    if (caption.trim() === sample.caption.trim()) captionsRight++;
    for (const [question, got, expected] of rows) {
      asked++;
      if (got?.trim() === expected?.trim()) right++;
      else wrong.push(`${sample.file} ${question}: "${got}" (expected "${expected}")`);
    }
  }
  const accuracy = right / asked;
  console.log(
    `${model.name} (${model.precision}) via the API: answers ${right}/${asked} exact (${(accuracy * 100).toFixed(0)}%), captions ${captionsRight}/${samples.length}`,
  );
  assert.ok(
    accuracy >= MIN_ACCURACY,
    `${model.name}: accuracy ${accuracy.toFixed(2)} < ${MIN_ACCURACY}:\n${wrong.join('\n')}`,
  );
}

test('demo model (and its INT8 build): answers through the API are the engine’s and are right', {
  skip: !present && 'models/shapes-demo not built yet',
}, async () => {
  const samples = JSON.parse(readFileSync(join(SAMPLES, 'samples.json'), 'utf8')) as Sample[];
  const folders = existsSync(join(DEMO_INT8, 'manifest.json')) ? [DEMO, DEMO_INT8] : [DEMO];
  const server = await startTestServer({ models: folders });
  try {
    for (const model of server.app.services.models.list()) await checkModel(server, model, samples);
  } finally {
    await server.close();
  }
});
