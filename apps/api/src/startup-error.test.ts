import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeStartupFailure } from './startup-error.js';

const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

test('start-up failures become one coded line naming what to fix', () => {
  const engine = Object.assign(new Error('m: text_decoder.bin is corrupt'), {
    name: 'BlipError',
    code: 'MODEL_INVALID',
  });
  assert.deepEqual(describeStartupFailure(engine), {
    event: 'startup_failed',
    code: 'MODEL_INVALID',
    message: 'm: text_decoder.bin is corrupt',
  });
  const locked = describeStartupFailure(coded('SQLITE_BUSY', 'database is locked'), '/data');
  assert.equal(locked.code, 'DATABASE_LOCKED');
  assert.match(locked.message, /\/data\/blip\.sqlite is locked by another process/);
  const readonly = describeStartupFailure(
    coded('SQLITE_READONLY', 'attempt to write a readonly database'),
    '/d',
  );
  assert.equal(readonly.code, 'DATABASE_NOT_WRITABLE');
  const pg = describeStartupFailure(coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'));
  assert.equal(pg.code, 'DATABASE_UNREACHABLE');
  assert.match(pg.message, /DATABASE_URL/);
  assert.equal(describeStartupFailure(coded('EADDRINUSE', 'listen EADDRINUSE')).code, 'PORT_IN_USE');
  assert.equal(
    describeStartupFailure(new Error('setting PORT: expected a non-negative integer')).code,
    'CONFIG_INVALID',
  );
  assert.equal(describeStartupFailure('weird').code, 'STARTUP_FAILED');
});
