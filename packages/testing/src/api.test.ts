import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiListeningUrl, runApiToExit, startApi } from './api.js';
import { rssMiB } from './proc.js';
import { tempDir } from './temp.js';

test('the API is started on port 0 and its address read from its listening line', async () => {
  const api = await startApi();
  try {
    assert.match(api.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(api.url).port, '0');
    assert.equal(api.graphql, `${api.url}/graphql`);
    assert.equal(api.listening.url, api.url);
    assert.equal((await fetch(`${api.url}/ready`)).status, 200);
    assert.ok(rssMiB(api.pid) > 0);
  } finally {
    await api.stop();
  }
  assert.ok(api.child.exitCode !== null || api.child.signalCode !== null);
});

test('a start that fails is run to its exit with the one-line reason', async () => {
  const r = await runApiToExit(tempDir(), { BLIP_MODELS: '/nonexistent/model' });
  assert.equal(r.code, 1);
  assert.equal(r.listened, false);
  assert.match(r.log.join('\n'), /"event":"startup_failed"/);
});

test('only the API listening line gives a URL', () => {
  assert.equal(
    apiListeningUrl('{"event":"listening","url":"http://127.0.0.1:4321"}'),
    'http://127.0.0.1:4321',
  );
  assert.equal(apiListeningUrl('{"event":"loading","url":"http://127.0.0.1:4321"}'), undefined);
  assert.equal(apiListeningUrl('listening'), undefined);
});
