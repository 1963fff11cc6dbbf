import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { before, test } from 'node:test';
import type { TextCodec } from '../text/codec.js';
import { createDetokenizer, loadTokenizer } from '../text/index.js';
import type { StreamEvent, TokenEvent } from '../types.js';
import { tokenEmitter } from './token-emitter.js';

const TINY_VQA = resolve(import.meta.dirname, '../../../../models/tiny-vqa');
const START = 289;
const EOS = 3;
let codec: TextCodec;
let encode: (text: string) => number[];

before(async () => {
  const tokenizer = await loadTokenizer(TINY_VQA);
  codec = {
    detokenizer: () => createDetokenizer(tokenizer, { delayTokens: 0 }),
    decode: (ids) => tokenizer.decode(ids),
  };
  encode = (text) => tokenizer.encode(text).slice(1, -1);
});

function collect(promptIds: number[]) {
  const events: StreamEvent[] = [];
  let firsts = 0;
  const emitter = tokenEmitter(
    codec,
    EOS,
    promptIds,
    (e) => events.push(e),
    () => firsts++,
  );
  return { emitter, events, tokens: () => events as TokenEvent[], firsts: () => firsts };
}

test('deltas add up to the decoded text; the end token gets no event; indices count generated tokens', () => {
  const ids = encode('what color is the circle?');
  const { emitter, tokens } = collect([START]);
  emitter.onTokens(ids.slice(0, 2), false);
  emitter.onTokens(ids.slice(2), false);
  emitter.onTokens([EOS], true);
  assert.deepEqual(
    tokens().map((e) => e.index),
    ids.map((_, i) => i),
  );
  assert.equal(
    tokens()
      .map((e) => e.delta)
      .join(''),
    codec.decode(ids),
  );
  assert.deepEqual(emitter.streamed(), { ids, text: codec.decode(ids) });
});

test("a caption prompt's text leads the first delta", () => {
  const prompt = encode('a picture of');
  const generated = encode('red circle');
  const { emitter, tokens } = collect([START, ...prompt]);
  emitter.onTokens(generated, true);
  assert.ok(tokens()[0]?.delta.startsWith('a picture of'));
  assert.equal(emitter.streamed().text, codec.decode([...prompt, ...generated]));
  assert.deepEqual(emitter.streamed().ids, generated);
});
