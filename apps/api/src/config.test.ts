import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { engineOptions } from './app.js';
import { loadConfig, REPO_ROOT, SETTINGS, shownValue } from './config.js';

/** The rows of README's "API configuration" table: variable → [default, meaning]. */
function readmeTable(): Map<string, [string, string]> {
  const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split('### API configuration')[1]?.split(/\n#{2,3} /)[0] ?? '';
  const rows = new Map<string, [string, string]>();
  for (const line of section.split('\n')) {
    const cells = /^\| `([A-Z_]+)` \| (.*?) \| (.*) \|$/.exec(line);
    if (cells) rows.set(cells[1] as string, [cells[2] as string, cells[3] as string]);
  }
  return rows;
}

test("README's configuration table lists exactly the settings, with their defaults and meanings", () => {
  const table = readmeTable();
  const settings = Object.values(SETTINGS);
  assert.deepEqual([...table.keys()].sort(), settings.map((s) => s.env).sort());
  for (const s of settings) {
    const [shown, doc] = table.get(s.env) as [string, string];
    assert.equal(shown, s.shown ?? `\`${s.fallback({})}\``, `default of ${s.env}`);
    assert.equal(doc, s.doc, `meaning of ${s.env}`);
  }
});

test('every default parses; environment values override them', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.port, 4000);
  assert.equal(defaults.dataDir, `${REPO_ROOT}/var`);
  assert.equal(defaults.maxUploadBytes, 20 * 1024 * 1024);
  assert.equal(defaults.metricsPort, null);
  const config = loadConfig({ PORT: '5001', BLIP_MODELS: 'a, b', WEB_ORIGIN: 'http://x:1', GRAPHIQL: 'OFF' });
  assert.equal(config.port, 5001);
  assert.deepEqual(config.models, [`${REPO_ROOT}/a`, `${REPO_ROOT}/b`]);
  assert.deepEqual(config.webOrigins, ['http://x:1']);
  assert.equal(config.graphiql, false);
  assert.equal(loadConfig({ BLIP_PERFORMANCE_HINT: 'THROUGHPUT', BLIP_NUM_STREAMS: '2' }).numStreams, 2);
  assert.equal(loadConfig({ METRICS_PORT: '0' }).metricsPort, 0);
});

test("the engine's own defaults stand unless a setting names a value", () => {
  const auto = engineOptions(loadConfig({}));
  assert.equal('serialInference' in auto || 'dynamicQuantizationGroupSize' in auto, false);
  const set = engineOptions(
    loadConfig({ BLIP_SERIAL_INFERENCE: 'false', BLIP_DYNAMIC_QUANTIZATION_GROUP_SIZE: '64' }),
  );
  assert.equal(set.serialInference, false);
  assert.equal(set.dynamicQuantizationGroupSize, 64);
  const off = engineOptions(loadConfig({ BLIP_DYNAMIC_QUANTIZATION_GROUP_SIZE: '0' }));
  assert.equal(off.dynamicQuantizationGroupSize, 0, '0 turns it off, as in the engine');
  assert.throws(() => loadConfig({ BLIP_DYNAMIC_QUANTIZATION_GROUP_SIZE: 'big' }), /GROUP_SIZE/);
  assert.throws(() => loadConfig({ BLIP_SERIAL_INFERENCE: 'maybe' }), /BLIP_SERIAL_INFERENCE/);
});

test('production mode turns GraphiQL and introspection off and the Secure cookie on, unless set', () => {
  const prod = loadConfig({ NODE_ENV: 'production' });
  assert.deepEqual([prod.graphiql, prod.introspection, prod.secureCookie], [false, false, true]);
  const dev = loadConfig({});
  assert.deepEqual([dev.graphiql, dev.introspection, dev.secureCookie], [true, true, false]);
  assert.equal(loadConfig({ NODE_ENV: 'production', INTROSPECTION: 'true' }).introspection, true);
});

test('typos and out-of-range values are refused, naming the variable', () => {
  const bad: Record<string, string> = {
    GRAPHIQL: 'ture',
    COOKIE_SECURE: 'yes please',
    BLIP_MAX_QUEUE: '-3',
    PORT: '70000',
    MAX_UPLOAD_BYTES: '20M',
    BLIP_CONCURRENCY: '0',
    MAX_GENERATIONS_PER_CALLER: '1.5',
    BLIP_INFERENCE_PRECISION: 'f16',
    BLIP_PERFORMANCE_HINT: 'FAST',
    WEB_ORIGIN: 'localhost:3000',
    OWNER_COOKIE: 'has space',
    METRICS_PORT: 'nine',
    LOG_LEVEL: 'verbose',
    MAX_CONCURRENT_DECODES: '0',
  };
  for (const [name, value] of Object.entries(bad)) {
    assert.throws(() => loadConfig({ [name]: value }), new RegExp(`^Error: setting ${name}: `), name);
  }
  assert.throws(() => loadConfig({ DEFAULT_PAGE_SIZE: '50', MAX_PAGE_SIZE: '10' }), /DEFAULT_PAGE_SIZE/);
});

test('a refused setting never echoes a password: URL credentials are masked, secrets hidden', () => {
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'postgress://blip:s3cret-pw@db.internal/blip' }),
    (e: Error) =>
      e.message.startsWith('setting DATABASE_URL:') &&
      e.message.includes('postgress://blip:***@db.internal/blip') &&
      !e.message.includes('s3cret-pw'),
  );
  assert.throws(
    () => loadConfig({ REDIS_URL: 'http://:hunter2@cache:6379' }),
    (e: Error) => e.message.startsWith('setting REDIS_URL:') && !e.message.includes('hunter2'),
  );
  assert.equal(shownValue('METRICS_TOKEN', 'abc'), '(hidden)');
  assert.equal(shownValue('BLIP_MAX_QUEUE', 'ten'), '"ten"');
});
