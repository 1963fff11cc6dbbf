import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, REPO_ROOT, SETTINGS, settingsMarkdown } from './config.js';

test('every setting has a default that parses, and a doc line in the README table', () => {
  const config = loadConfig({});
  assert.equal(config.port, 4000);
  assert.equal(config.dataDir, `${REPO_ROOT}/var`);
  assert.equal(config.maxUploadBytes, 20 * 1024 * 1024);
  const table = settingsMarkdown();
  for (const s of SETTINGS) {
    assert.ok(s.doc.length > 10, s.env);
    assert.ok(table.includes(`\`${s.env}\``), s.env);
  }
});

test('environment values override defaults; a bad one names its variable', () => {
  const config = loadConfig({ PORT: '5001', BLIP_MODELS: 'a, b', WEB_ORIGIN: 'http://x', GRAPHIQL: 'false' });
  assert.equal(config.port, 5001);
  assert.deepEqual(config.models, [`${REPO_ROOT}/a`, `${REPO_ROOT}/b`]);
  assert.deepEqual(config.webOrigins, ['http://x']);
  assert.equal(config.graphiql, false);
  assert.throws(() => loadConfig({ BLIP_MAX_QUEUE: '-3' }), /BLIP_MAX_QUEUE/);
  assert.throws(() => loadConfig({ BLIP_INFERENCE_PRECISION: 'f16' }), /BLIP_INFERENCE_PRECISION/);
  assert.throws(() => loadConfig({ BLIP_PERFORMANCE_HINT: 'FAST' }), /BLIP_PERFORMANCE_HINT/);
  assert.equal(loadConfig({ BLIP_PERFORMANCE_HINT: 'THROUGHPUT', BLIP_NUM_STREAMS: '2' }).numStreams, 2);
});
