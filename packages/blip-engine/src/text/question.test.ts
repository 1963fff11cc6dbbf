import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { testTokenizerFolder } from '../../test/tokenizer-reference.js';
import { BlipError } from '../errors.js';
import { DEFAULT_TEXT_LIMITS } from './limits.js';
import { encodePrompt } from './prompt.js';
import { encodeQuestion } from './question.js';
import { type BlipTokenizer, loadTokenizer } from './tokenizer.js';

const isInvalid =
  (code: string, pattern: RegExp) =>
  (e: unknown): boolean =>
    e instanceof BlipError && e.code === code && pattern.test(e.message);

describe('encodeQuestion', () => {
  let tokenizer: BlipTokenizer;
  before(async () => {
    tokenizer = await loadTokenizer(testTokenizerFolder());
  });

  test('gives [CLS] … [SEP] ids, the same as the tokenizer with special tokens', () => {
    const ids = encodeQuestion(tokenizer, 'How many red circles?');
    assert.equal(ids[0], tokenizer.hf.convert_tokens_to_ids('[CLS]'));
    assert.equal(ids.at(-1), tokenizer.hf.convert_tokens_to_ids('[SEP]'));
    assert.deepEqual(ids, tokenizer.encode('How many red circles?'));
  });

  test('empty, whitespace-only and control-character-only questions are INVALID_QUESTION', () => {
    for (const q of ['', '   ', '\n\t ', '\u0000\u0007\u0001']) {
      assert.throws(
        () => encodeQuestion(tokenizer, q),
        isInvalid('INVALID_QUESTION', /empty|no words/),
        JSON.stringify(q),
      );
    }
    assert.throws(() => encodeQuestion(tokenizer, 42), isInvalid('INVALID_QUESTION', /must be a string/));
  });

  test('over-long questions are refused with the limit in the message, never truncated', () => {
    const long = 'a'.repeat(DEFAULT_TEXT_LIMITS.maxQuestionChars + 1);
    assert.throws(
      () => encodeQuestion(tokenizer, long),
      isInvalid('INVALID_QUESTION', /more than 500 characters; at most 500/),
    );
    assert.throws(
      () => encodeQuestion(tokenizer, 'x'.repeat(5_000_000)),
      isInvalid('INVALID_QUESTION', /at most 500/),
    );
    const manyTokens = Array.from({ length: 70 }, () => 'red').join(' '); // 70 words + [CLS] + [SEP]
    assert.throws(
      () => encodeQuestion(tokenizer, manyTokens),
      isInvalid('INVALID_QUESTION', /72 tokens.*at most 64/),
    );
    const limits = { maxQuestionChars: 20, maxQuestionTokens: 4 };
    assert.throws(
      () => encodeQuestion(tokenizer, 'red red red', limits),
      isInvalid('INVALID_QUESTION', /5 tokens.*at most 4/),
    );
    assert.deepEqual(encodeQuestion(tokenizer, 'red red', limits).length, 4);
  });

  test('non-Latin, RTL, emoji and lone surrogates do not crash', () => {
    for (const q of [
      '猫 是 什么?',
      'שלום מה זה',
      '🐱😀?',
      'кот',
      'bad \ud800 surrogate',
      'e\u0301\u200f\u202e mixed',
    ]) {
      const ids = encodeQuestion(tokenizer, q);
      assert.ok(
        ids.length >= 3 && ids.every((id) => Number.isInteger(id) && id >= 0 && id < tokenizer.vocabSize),
        q,
      );
    }
    // Code points, not UTF-16 units, are counted: 500 emoji are 1000 units yet within the character limit
    // (and one over-long "word", which WordPiece turns into a single [UNK]).
    assert.equal(encodeQuestion(tokenizer, '😀'.repeat(500)).length, 3);
    assert.throws(
      () => encodeQuestion(tokenizer, '😀'.repeat(501)),
      isInvalid('INVALID_QUESTION', /more than 500 characters/),
    );
  });
});

describe('encodePrompt', () => {
  let tokenizer: BlipTokenizer;
  before(async () => {
    tokenizer = await loadTokenizer(testTokenizerFolder());
  });

  test('replaces [CLS] with the decoder start and drops [SEP], as BlipForConditionalGeneration.generate', () => {
    const words = tokenizer.encode('a picture of').slice(1, -1);
    assert.equal(words.length, 3);
    assert.deepEqual(encodePrompt(tokenizer, 'a picture of', 30522), [30522, ...words]);
    assert.deepEqual(encodePrompt(tokenizer, '', 30522), [30522]);
  });

  test('an over-long prompt is INVALID_OPTIONS naming the prompt', () => {
    assert.throws(
      () => encodePrompt(tokenizer, 'of '.repeat(100), 30522),
      (e: unknown) => e instanceof BlipError && e.code === 'INVALID_OPTIONS' && e.field === 'prompt',
    );
  });
});
