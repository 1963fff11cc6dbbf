// A captioning model (blip-caption, committed as models/tiny-caption): default prompt from the manifest,
// '' for no prompt, and questions refused with UNSUPPORTED_TASK.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sceneJpeg } from '../../test/scenes.js';
import { BlipError } from '../errors.js';
import { Blip } from './blip.js';

const folder =
  process.env.GOLDEN_TINY_CAPTION ?? resolve(import.meta.dirname, '../../../../models/tiny-caption');

describe('captioning model', { skip: existsSync(folder) ? false : `${folder} is not there yet` }, () => {
  let blip: Blip;
  let image: Uint8Array;
  before(async () => {
    blip = await Blip.load(folder);
    image = await sceneJpeg(200);
  });
  after(() => blip?.dispose());

  test('captions start with the manifest prompt by default; an explicit prompt replaces it', async () => {
    const prompt = blip.info.captionPrompt as string;
    assert.ok(prompt, 'tiny-caption records a default prompt');
    const byDefault = await blip.caption(image, { maxNewTokens: 5, minNewTokens: 5 });
    const explicit = await blip.caption(image, { prompt, maxNewTokens: 5, minNewTokens: 5 });
    assert.ok(byDefault.text.startsWith(prompt), byDefault.text);
    assert.deepEqual(byDefault.tokenIds, explicit.tokenIds);
    const plain = await blip.caption(image, { prompt: '', maxNewTokens: 5, minNewTokens: 5 });
    assert.equal(plain.tokenIds.length, 5); // exact ids of prompt vs no prompt: golden.test.ts
  });

  test('a question to a captioning model is UNSUPPORTED_TASK', async () => {
    await assert.rejects(
      blip.answer(image, 'what is it?'),
      (error: unknown) => error instanceof BlipError && error.code === 'UNSUPPORTED_TASK',
    );
    assert.throws(() => blip.answerStream(image, 'what is it?'), /captioning model/);
  });

  test('stream deltas include the prompt text, so they add up to the caption', async () => {
    let text = '';
    let final = '';
    for await (const event of blip.captionStream(image, { maxNewTokens: 6 })) {
      if (event.type === 'token') text += event.delta;
      else if (event.type === 'done') final = event.result.text;
    }
    assert.equal(text, final);
  });
});
