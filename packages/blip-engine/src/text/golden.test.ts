// Token ids and texts against the toolchain's golden fixtures (models/<model>/golden/golden.json, models/GOLDEN.md):
// questions and the caption prompt encode to the processor's ids; every recorded sequence decodes, whole and
// streamed, to Hugging Face's text.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { createDetokenizer } from './detokenizer.js';
import { encodePrompt } from './prompt.js';
import { encodeQuestion } from './question.js';
import { loadTokenizer } from './tokenizer.js';

const MODELS = resolve(import.meta.dirname, '../../../../models');

const folders = existsSync(MODELS)
  ? readdirSync(MODELS).filter((name) => existsSync(join(MODELS, name, 'golden/golden.json')))
  : [];

interface Sequenced {
  sequence?: number[];
  text?: string;
  sequences?: number[][];
  texts?: string[];
}

/** Every (sequence, text) pair in a golden file's generation records, wherever they sit. */
function recordedTexts(node: unknown, out: Array<[number[], string]> = []): Array<[number[], string]> {
  if (Array.isArray(node)) for (const item of node) recordedTexts(item, out);
  else if (node && typeof node === 'object') {
    const r = node as Sequenced;
    if (r.sequence && typeof r.text === 'string') out.push([r.sequence, r.text]);
    for (const [i, s] of (r.sequences ?? []).entries())
      if (r.texts?.[i] !== undefined) out.push([s, r.texts[i] as string]);
    for (const value of Object.values(node)) recordedTexts(value, out);
  }
  return out;
}

describe('text equals the golden fixtures', {
  skip: folders.length === 0 && 'no models/*/golden/golden.json yet',
}, () => {
  for (const folder of folders) {
    test(`${folder}: question and prompt ids, decoded and streamed texts`, async () => {
      const golden = JSON.parse(readFileSync(join(MODELS, folder, 'golden/golden.json'), 'utf8'));
      const tokenizer = await loadTokenizer(join(MODELS, folder));
      for (const q of golden.questions ?? [])
        assert.deepEqual(encodeQuestion(tokenizer, q.text), q.input_ids, q.text);
      if (golden.caption_prompt) {
        const { text, decoder_input_ids } = golden.caption_prompt;
        assert.deepEqual(encodePrompt(tokenizer, text, golden.tokens.decoder_start), decoder_input_ids);
      }
      const pairs = recordedTexts(golden.images);
      assert.ok(pairs.length > 0, 'no generation records found');
      for (const [sequence, text] of pairs) {
        assert.equal(tokenizer.decode(sequence), text, JSON.stringify(sequence));
        for (const delayTokens of [0, 1]) {
          const detok = createDetokenizer(tokenizer, { delayTokens });
          assert.equal(sequence.map((id) => detok.push(id)).join('') + detok.flush(), text);
        }
      }
      console.log(
        `${folder}: ${golden.questions?.length ?? 0} questions, ${pairs.length} decoded sequences match`,
      );
    });
  }
});
