// The command line as a user runs it: a real process on the committed tiny model.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../../..');
const MAIN = resolve(import.meta.dirname, 'main.ts');
const IMAGE = resolve(ROOT, 'models/fixtures/images/shapes-640x480.png');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');

test('ask streams the answer, then the timings; --json prints the result', async () => {
  const text = await run(
    TSX,
    [
      MAIN,
      'ask',
      IMAGE,
      'how many circles?',
      '--model',
      'models/tiny-vqa',
      '--max-new-tokens',
      '4',
      '--min-new-tokens',
      '4',
    ],
    {
      cwd: ROOT,
    },
  );
  assert.match(text.stdout, /\[tiny-vqa\] 4 tokens, length; preprocess [\d.]+ ms, vision [\d.]+ ms/);
  const json = await run(
    TSX,
    [MAIN, 'caption', IMAGE, '--model', 'models/tiny-vqa', '--beams', '2', '--json'],
    { cwd: ROOT },
  );
  const result = JSON.parse(json.stdout);
  assert.ok(Array.isArray(result.tokenIds) && result.tokenIds.length > 0);
  assert.equal(result.alternatives.length, 1);
});

test('errors are one line on stderr with a non-zero exit', async () => {
  await assert.rejects(
    run(TSX, [MAIN, 'caption', IMAGE, '--model', 'models/nope'], { cwd: ROOT }),
    (error: unknown) => {
      const e = error as { code: number; stderr: string };
      assert.equal(e.code, 1);
      assert.match(e.stderr, /^blip: MODEL_INVALID: model folder .*models\/nope does not exist/);
      assert.equal(e.stderr.trim().split('\n').length, 1);
      return true;
    },
  );
  await assert.rejects(
    run(TSX, [MAIN, 'ask', IMAGE, 'x', '--model', 'models/tiny-vqa', '--beams', '99'], { cwd: ROOT }),
    (error: unknown) =>
      /INVALID_OPTIONS: numBeams must be an integer from 2 to 16 \(got 99\)/.test(
        (error as { stderr: string }).stderr,
      ),
  );
});
