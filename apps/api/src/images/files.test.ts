// The on-disk image store: bytes by hash under <dir>/<first two hex>/, kept once, read back, removed; a key that is
// not a sha256 digest never becomes a path; and the per-key turn-taking both stores share (store/image-bytes.ts).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '@blip/testing';
import { KeyedLocks } from '../store/image-bytes.js';
import { ImageFiles } from './files.js';

test('bytes by hash: written once, read back, removed; other keys refused', async () => {
  const dir = tempDir('blip-files-');
  const files = new ImageFiles(dir);
  const sha = `ab${'0'.repeat(62)}`;
  const data = new Uint8Array([1, 2, 3, 250]);
  assert.equal(await files.has(sha), false);
  assert.equal(await files.put(sha, data), true);
  assert.equal(await files.put(sha, data), false, 'the same bytes are kept once');
  assert.ok(existsSync(join(dir, 'ab', sha)));
  assert.deepEqual(await files.read(sha), data);
  await files.remove(sha);
  await files.remove(sha); // already gone: no error
  assert.equal(await files.has(sha), false);
  for (const bad of ['../../etc/passwd', 'AB'.repeat(32), 'ab'])
    assert.throws(() => files.path(bad), /not a sha256 hex digest/);
});

test('calls for one key take turns, other keys do not wait, a failure does not stop the next', async () => {
  const locks = new KeyedLocks();
  const order: string[] = [];
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const first = locks.run('k', async () => {
    order.push('first starts');
    await held;
    order.push('first ends');
    throw new Error('first failed');
  });
  const second = locks.run('k', () => order.push('second'));
  await locks.run('other', () => order.push('other key'));
  assert.deepEqual(order, ['first starts', 'other key']);
  release();
  await assert.rejects(first, /first failed/);
  await second;
  assert.deepEqual(order, ['first starts', 'other key', 'first ends', 'second']);
  assert.equal(locks.size, 0, 'nothing is kept for idle keys');
});
