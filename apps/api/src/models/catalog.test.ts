// FP32/FP16 and INT8 builds of one model side by side: listed together, picked by options.model/precision.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT } from '../config.js';
import { fixture, startTestServer, type TestServer, TINY_MODEL } from '../testing/harness.js';
import { baseNameOf } from './catalog.js';

/** The INT8 build of tiny-vqa: the repo's if the toolchain committed one, else made now by the real toolchain. */
function tinyInt8(): string {
  const committed = resolve(REPO_ROOT, 'models/tiny-vqa-int8');
  if (existsSync(join(committed, 'manifest.json'))) return committed;
  const made = join(tmpdir(), 'blip-api-models', 'tiny-vqa-int8'); // the folder name becomes the model name
  if (!existsSync(join(made, 'manifest.json'))) {
    execFileSync(
      resolve(REPO_ROOT, 'scripts/py'),
      [
        '-m',
        'blip_tools',
        'quantize',
        TINY_MODEL,
        '--out',
        made,
        '--shapes',
        '--subset-size',
        '16',
        '--force',
      ],
      { stdio: 'ignore' },
    );
  }
  return made;
}

let server: TestServer;
let imageId: string;
before(async () => {
  server = await startTestServer({ models: [TINY_MODEL, tinyInt8(), TINY_MODEL] });
  imageId = (await server.upload(fixture('shapes-640x480.png'))).data?.uploadImage.id as string;
});
after(() => server.close());

test('precision suffixes are stripped to find the shared base name', () => {
  assert.equal(baseNameOf('shapes-demo-int8'), 'shapes-demo');
  assert.equal(baseNameOf('shapes-demo_FP16'), 'shapes-demo');
  assert.equal(baseNameOf('shapes-demo'), 'shapes-demo');
});

test('both builds are listed under one base name, each with its precision; duplicate names are made unique', async () => {
  const r = await server.gql<{
    models: { name: string; baseName: string; precision: string; isDefault: boolean }[];
  }>('{ models { name baseName precision isDefault } }');
  assert.deepEqual(r.data?.models, [
    { name: 'tiny-vqa', baseName: 'tiny-vqa', precision: 'FP32', isDefault: true },
    { name: 'tiny-vqa-int8', baseName: 'tiny-vqa', precision: 'INT8', isDefault: false },
    { name: 'tiny-vqa-2', baseName: 'tiny-vqa', precision: 'FP32', isDefault: false },
  ]);
});

test('each build says what OpenVINO computes in: INT8 weights at f32, FP32 weights at the CPU default (f32 or bf16)', async () => {
  const r = await server.gql<{ models: { name: string; inferencePrecision: string }[] }>(
    '{ models { name inferencePrecision } }',
  );
  const computes = new Map(r.data?.models.map((m) => [m.name, m.inferencePrecision]));
  assert.equal(computes.get('tiny-vqa-int8'), 'f32');
  assert.match(computes.get('tiny-vqa') ?? '', /^(f32|bf16)$/);
});

test('options.precision picks the INT8 build, options.model a build by name; a missing precision is refused', async () => {
  const ask = (options: Record<string, unknown>) =>
    server.gql<{ answer: { model: string; precision: string; text: string } }>(
      'mutation ($i: ID!, $o: GenerationOptions) { answer(imageId: $i, question: "how many?", options: $o) { model precision text } }',
      { i: imageId, o: options },
    );
  assert.deepEqual(
    [(await ask({})).data?.answer.model, (await ask({})).data?.answer.precision],
    ['tiny-vqa', 'FP32'],
  );
  const int8 = await ask({ model: 'tiny-vqa', precision: 'INT8' });
  assert.deepEqual([int8.data?.answer.model, int8.data?.answer.precision], ['tiny-vqa-int8', 'INT8']);
  const byName = await ask({ model: 'tiny-vqa-int8' });
  assert.equal(byName.data?.answer.precision, 'INT8');
  const fp16 = await ask({ precision: 'FP16' });
  assert.deepEqual(fp16.errors?.[0]?.extensions, { code: 'INVALID_OPTIONS', field: 'precision' });
});

test('a captioning model captions (from its prompt) and refuses questions with UNSUPPORTED_TASK', async () => {
  const captioner = await startTestServer({ models: [resolve(REPO_ROOT, 'models/tiny-caption')] });
  try {
    const id = (await captioner.upload(fixture('photo-640x480.jpg'))).data?.uploadImage.id;
    const models = await captioner.gql<{ models: { family: string; captionPrompt: string | null }[] }>(
      '{ models { family captionPrompt } }',
    );
    assert.deepEqual(models.data?.models, [{ family: 'BLIP_CAPTION', captionPrompt: 'a picture of' }]);
    const caption = await captioner.gql<{ caption: { text: string } }>(
      'mutation ($i: ID!) { caption(imageId: $i, options: { maxNewTokens: 4 }) { text } }',
      { i: id },
    );
    assert.ok(caption.data?.caption.text.startsWith('a picture of'), JSON.stringify(caption));
    const question = await captioner.gql(
      'mutation ($i: ID!) { answer(imageId: $i, question: "what?") { text } }',
      {
        i: id,
      },
    );
    assert.deepEqual(question.errors?.[0]?.extensions, { code: 'UNSUPPORTED_TASK', field: 'model' });
  } finally {
    await captioner.close();
  }
});
