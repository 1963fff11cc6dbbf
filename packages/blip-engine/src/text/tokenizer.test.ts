import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { pythonReference, testTokenizerFolder } from '../../test/tokenizer-reference.js';
import { BlipError } from '../errors.js';
import { type BlipTokenizer, loadTokenizer } from './tokenizer.js';

const TEXTS = [
  'How many red circles?',
  'what COLOR is the circle',
  "isn't it playing? do n't",
  '猫 is 红 кота שלום 🐱😀 é É',
  'tab\there\u0000\u0007 zero-width\u200b joiner',
  '  leading and trailing spaces  ',
  'unknownword xyzzy',
];

describe('loadTokenizer', () => {
  let tokenizer: BlipTokenizer;
  let lists: number[][];
  let reference: { encoded: number[][]; decoded: string[] };
  before(async () => {
    const dir = testTokenizerFolder();
    tokenizer = await loadTokenizer(dir);
    const v = tokenizer.vocabSize;
    // v and v + 1 play [DEC] and [ENC]: ids the model has and the tokenizer does not.
    lists = [
      [v, 2, 90, 3],
      [v, ...tokenizer.encode("isn't it playing? do n't").slice(1), v + 1],
      tokenizer.encode('猫 кота 🐱'),
      [0, 1, 2, 3, 4],
      [],
    ];
    // Python is asked once per file: its start-up is seconds on these shared cores.
    reference = pythonReference(
      dir,
      TEXTS,
      lists.map((ids) => ids.filter((id) => id < v)),
    );
  });

  test('encodes exactly as the venv transformers does (the processor adds [CLS] … [SEP])', () => {
    assert.deepEqual(
      TEXTS.map((t) => tokenizer.encode(t)),
      reference.encoded,
    );
  });

  test('decodes exactly as decode(skip_special_tokens=True), dropping ids the tokenizer does not know', () => {
    assert.deepEqual(
      lists.map((ids) => tokenizer.decode(ids)),
      reference.decoded,
    );
    assert.equal(
      tokenizer.cleanUpSpaces,
      false,
      'transformers 5 does not clean up spaces unless the config says so',
    );
  });

  test('a folder without tokenizer files is MODEL_INVALID, not a crash', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'blip-empty-'));
    await assert.rejects(
      loadTokenizer(empty),
      (e: unknown) => e instanceof BlipError && e.code === 'MODEL_INVALID',
    );
    writeFileSync(join(empty, 'tokenizer.json'), '{ not json');
    writeFileSync(join(empty, 'tokenizer_config.json'), '{}');
    await assert.rejects(
      loadTokenizer(empty),
      (e: unknown) => e instanceof BlipError && e.code === 'MODEL_INVALID',
    );
  });
});
