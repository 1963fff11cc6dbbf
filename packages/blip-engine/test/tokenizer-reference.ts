// Test helper: a real Hugging Face tokenizer folder, written by the venv's transformers into a temp directory,
// so the text tests do not depend on a model folder and compare with what Python itself produces.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../../..');

/** Vocabulary with the cases that break naive detokenisers: ## pieces, clean-up punctuation, CJK, emoji, RTL. */
const VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  '[MASK]',
  ...'abcdefghijklmnopqrstuvwxyz0123456789.,?!\'"-'.split(''),
  ...'abcdefghijklmnopqrstuvwxyz'.split('').map((c) => `##${c}`),
  'the',
  'a',
  'what',
  'color',
  'is',
  'how',
  'many',
  'red',
  'blue',
  'circle',
  'circles',
  'there',
  'picture',
  'of',
  'play',
  'n',
  "##'t",
  "'s",
  'do',
  '##s',
  '##ing',
  '##ed',
  '##ly',
  'un',
  '##like',
  '猫',
  '狗',
  '红',
  'кот',
  '##а',
  'שלום',
  '🐱',
  '😀',
  'é',
];

const SCRIPT = `
import json, sys
from transformers import BertTokenizerFast
vocab = {t: i for i, t in enumerate(json.loads(sys.argv[2]))}
BertTokenizerFast(vocab=vocab, do_lower_case=True, model_max_length=512).save_pretrained(sys.argv[1])
`;

let folder: string | undefined;

/** Writes (once per process) a BertTokenizerFast folder with the test vocabulary; returns its path. */
export function testTokenizerFolder(): string {
  if (folder) return folder;
  const dir = mkdtempSync(join(tmpdir(), 'blip-tokenizer-'));
  execFileSync(join(REPO, 'scripts/py'), ['-c', SCRIPT, dir, JSON.stringify(VOCAB)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  folder = dir;
  return dir;
}

/** Runs the venv's transformers on the test folder: `[encode(text) for text]` and `[decode(ids, skip_special_tokens=True)]`. */
export function pythonReference(
  dir: string,
  texts: string[],
  idLists: number[][],
): { encoded: number[][]; decoded: string[] } {
  const script = `
import json, sys
from transformers import AutoTokenizer
t = AutoTokenizer.from_pretrained(sys.argv[1])
texts, ids = json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(json.dumps({"encoded": [t(x).input_ids for x in texts], "decoded": [t.decode(i, skip_special_tokens=True) for i in ids]}))
`;
  const out = execFileSync(
    join(REPO, 'scripts/py'),
    ['-c', script, dir, JSON.stringify(texts), JSON.stringify(idLists)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines = out.toString().trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string);
}
