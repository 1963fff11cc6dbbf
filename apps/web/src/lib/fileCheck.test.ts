import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFile, DEFAULT_ACCEPTED } from './fileCheck.js';

const limits = { maxUploadBytes: 1000, acceptedMimeTypes: DEFAULT_ACCEPTED };

test('an accepted image within the limit passes', () => {
  assert.equal(checkFile({ name: 'a.png', type: 'image/png', size: 1000 }, limits), null);
});

test('a file of another type is refused by name, before any upload', () => {
  const problem = checkFile({ name: 'notes.txt', type: 'text/plain', size: 10 }, limits);
  assert.equal(problem?.code, 'NOT_AN_IMAGE');
  assert.match(problem?.message ?? '', /notes\.txt/);
});

test('a file over the limit says how big it is and what the limit is', () => {
  const problem = checkFile(
    { name: 'big.jpg', type: 'image/jpeg', size: 5 * 1024 * 1024 },
    {
      ...limits,
      maxUploadBytes: 2 * 1024 * 1024,
    },
  );
  assert.equal(problem?.code, 'IMAGE_TOO_LARGE');
  assert.match(problem?.message ?? '', /5 MB.*2 MB/);
});

test('an unknown type is left for the server to sniff; an empty file is refused', () => {
  assert.equal(checkFile({ name: 'photo', type: '', size: 10 }, limits), null);
  assert.equal(checkFile({ name: 'e.png', type: 'image/png', size: 0 }, limits)?.code, 'NOT_AN_IMAGE');
});
