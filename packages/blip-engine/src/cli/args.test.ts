import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCommand } from './args.js';

test('ask with beams and a model folder', () => {
  const command = parseCommand(['ask', 'cat.jpg', 'how many?', '--beams', '3', '--model', 'm'], '/repo');
  assert.equal(command.task, 'ask');
  assert.equal(command.question, 'how many?');
  assert.equal(command.model, 'm');
  assert.deepEqual(command.options, { numBeams: 3 });
});

test('caption with a prompt and sampling flags', () => {
  const command = parseCommand(
    ['caption', 'x.png', '--prompt', 'a picture of', '--sample', '--seed', '7'],
    '/repo',
  );
  assert.equal(command.prompt, 'a picture of');
  assert.deepEqual(command.options, { strategy: 'sample', seed: 7 });
  assert.equal(command.model, '/repo/models/tiny-vqa'); // no shapes-demo under /repo
});

test('bad usage is a one-line reason plus the usage', () => {
  assert.throws(() => parseCommand(['paint', 'x.png'], '/repo'), /unknown command "paint"/);
  assert.throws(() => parseCommand(['ask', 'x.png'], '/repo'), /which question/);
  assert.throws(() => parseCommand(['caption'], '/repo'), /which image/);
  assert.throws(
    () => parseCommand(['caption', 'x.png', '--beams', 'many'], '/repo'),
    /--beams needs a number/,
  );
});
