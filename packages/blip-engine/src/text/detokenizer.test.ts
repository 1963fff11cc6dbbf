import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { testTokenizerFolder } from '../../test/tokenizer-reference.js';
import { createDetokenizer } from './detokenizer.js';
import { type BlipTokenizer, loadTokenizer, wrapTokenizer } from './tokenizer.js';

/** Streams ids through a fresh detokeniser; returns every delta, the flush last. */
function stream(tokenizer: BlipTokenizer, ids: readonly number[], delayTokens?: number): string[] {
  const detok = createDetokenizer(tokenizer, delayTokens === undefined ? {} : { delayTokens });
  return [...ids.map((id) => detok.push(id)), detok.flush()];
}

describe('createDetokenizer', () => {
  let tokenizer: BlipTokenizer;
  let ids: (...tokens: string[]) => number[];
  before(async () => {
    tokenizer = await loadTokenizer(testTokenizerFolder());
    const vocab = tokenizer.hf.get_vocab();
    ids = (...tokens) => tokens.map((t) => vocab.get(t) as number);
  });

  test('## pieces join without spaces; [DEC]/[ENC]-like unknown ids and special tokens are skipped', () => {
    const dec = tokenizer.vocabSize; // the decoder start id the tokenizer does not have
    const seq = [dec, ...ids('a', 'play', '##ing', 'circle', '##s', '.', '[SEP]')];
    const deltas = stream(tokenizer, seq);
    assert.equal(deltas.join(''), 'a playing circles.');
    assert.equal(deltas.join(''), tokenizer.decode(seq));
    // With the default one-token delay, a token's text appears when the next one arrives: the end token flushes the last word.
    assert.deepEqual(deltas, ['', '', 'a', ' play', 'ing', ' circle', 's', '.', '']);
  });

  test('without delay every token shows at once, since WordPiece text only ever grows', () => {
    const deltas = stream(tokenizer, ids('what', 'color', '?', '猫', '🐱'), 0);
    assert.deepEqual(deltas, ['what', ' color', '?', ' 猫', ' 🐱', '']);
  });

  test('property: for random id sequences, the deltas concatenated equal decode(all ids), at any delay', () => {
    const v = tokenizer.vocabSize;
    const id = fc.oneof(fc.integer({ min: 0, max: v - 1 }), fc.constantFrom(v, v + 1, 0, 2, 3));
    fc.assert(
      fc.property(fc.array(id, { maxLength: 40 }), fc.integer({ min: 0, max: 3 }), (seq, delay) => {
        assert.equal(stream(tokenizer, seq, delay).join(''), tokenizer.decode(seq));
      }),
      { numRuns: 300 },
    );
  });

  test('property: still exact when the tokenizer cleans up spaces (" ." → ".", " n\'t" → "n\'t")', () => {
    const cleaning = wrapTokenizer(tokenizer.hf, { cleanUpSpaces: true });
    assert.equal(cleaning.decode(ids('do', 'n', "##'t", '.')), "don't.");
    // Two spaces deleted by one token: " n ' t" → " n't" → "n't" (fast-check found it, seed -1829638415).
    const chained = ids('a', 'n', "'", 't');
    assert.equal(cleaning.decode(chained), "an't");
    assert.equal(stream(cleaning, chained, 0).join(''), "an't");
    const pool = ids(
      'a',
      'do',
      'n',
      "##'t",
      "'s",
      "'",
      's',
      't',
      '.',
      ',',
      '?',
      '!',
      'red',
      '##s',
      '猫',
      '[SEP]',
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pool), { maxLength: 30 }),
        fc.integer({ min: 0, max: 3 }),
        (seq, delay) => {
          assert.equal(stream(cleaning, seq, delay).join(''), cleaning.decode(seq));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("createDetokenizer on the committed tiny models' vocabulary", () => {
  test('property: random ids over models/tiny-vqa (with [DEC] and [ENC]) stream to exactly decode(all ids)', async () => {
    const tiny = await loadTokenizer(resolve(import.meta.dirname, '../../../../models/tiny-vqa'));
    const manifest = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '../../../../models/tiny-vqa/manifest.json'), 'utf8'),
    );
    const modelVocab: number = manifest.tokens.vocab_size; // tokenizer entries + [DEC] + [ENC]
    assert.equal(modelVocab, tiny.vocabSize + 2);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: modelVocab - 1 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 2 }),
        (seq, delay) => {
          assert.equal(stream(tiny, seq, delay).join(''), tiny.decode(seq));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('createDetokenizer over a byte-level decoder', () => {
  // Byte-level vocabularies (GPT-2 style) split one character over several tokens; the tokenizer we ship never
  // does, so this exercises the U+FFFD hold-back with a real UTF-8 decoder whose ids are the bytes themselves.
  const utf8 = new TextDecoder('utf-8');
  const bytes: BlipTokenizer = {
    hf: undefined as never,
    vocabSize: 256,
    cleanUpSpaces: false,
    encode: (text) => [...new TextEncoder().encode(text)],
    decode: (ids) => utf8.decode(new Uint8Array(ids)),
  };

  test('never emits half a character: a 4-byte emoji appears whole', () => {
    assert.deepEqual(stream(bytes, bytes.encode('a🐱'), 0), ['a', '', '', '', '🐱', '']);
  });

  test('property: no delta contains U+FFFD unless the text really does, and deltas concatenate to the text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 12 }),
        fc.integer({ min: 0, max: 2 }),
        (text, delay) => {
          const deltas = stream(bytes, bytes.encode(text), delay);
          assert.equal(deltas.join(''), text);
          if (!text.includes('\uFFFD')) assert.ok(deltas.every((d) => !d.includes('\uFFFD')));
        },
      ),
      { numRuns: 300 },
    );
  });
});
