import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { candidateDirs, locateOpenVino, OpenVinoNotFoundError } from './locate.js';

describe('locating libopenvino_c', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ov-locate-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('finds the repo venv wheel when nothing is set', () => {
    assert.match(
      locateOpenVino({}),
      /\.venv\/lib\/python3[^/]*\/site-packages\/openvino\/libs\/libopenvino_c\.so\.\d+$/,
    );
  });

  test('OPENVINO_LIB_DIR comes first and the highest version wins', () => {
    const dir = join(scratch, 'custom');
    mkdirSync(dir);
    for (const name of ['libopenvino_c.so.2600', 'libopenvino_c.so.2641', 'libopenvino.so.9999'])
      writeFileSync(join(dir, name), '');
    assert.equal(candidateDirs({ OPENVINO_LIB_DIR: dir })[0], dir);
    assert.equal(locateOpenVino({ OPENVINO_LIB_DIR: dir }), join(dir, 'libopenvino_c.so.2641'));
  });

  test('not found: lists every place it looked and says how to fix it', () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    const fakeRoot = join(scratch, 'repo');
    mkdirSync(join(fakeRoot, '.venv', 'lib', 'python3.11'), { recursive: true });
    let caught: unknown;
    try {
      locateOpenVino({ OPENVINO_LIB_DIR: empty }, fakeRoot);
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof OpenVinoNotFoundError);
    assert.deepEqual(caught.searched, [
      empty,
      join(fakeRoot, '.venv/lib/python3.11/site-packages/openvino/libs'),
    ]);
    for (const place of caught.searched) assert.ok(caught.message.includes(place));
    assert.match(caught.message, /npm run setup/);
    assert.match(caught.message, /OPENVINO_LIB_DIR/);
  });
});
