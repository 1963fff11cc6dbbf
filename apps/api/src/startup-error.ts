// Why the server could not start, as one JSON line a person can act on (no stack dump): a bad setting, a model
// folder that fails its checks, a database another process holds or that cannot be written, a port in use.
import { join } from 'node:path';
import { isBlipError } from './errors.js';

/** The line main.ts prints to stderr before exiting with status 1. */
export interface StartupFailure {
  event: 'startup_failed';
  code: string;
  message: string;
}

const LOCKED = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);
const NOT_WRITABLE = /^(SQLITE_READONLY|SQLITE_CANTOPEN|SQLITE_IOERR|EACCES|EPERM|EROFS)/;
// PostgreSQL (DATABASE_URL) not there, not answering, refusing us, or without the named database.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  '28P01',
  '28000',
  '3D000',
]);

/** Turns whatever start-up threw into a code and a message naming the file, setting or port at fault. */
export function describeStartupFailure(err: unknown, dataDir?: string): StartupFailure {
  const fail = (code: string, message: string): StartupFailure => ({
    event: 'startup_failed',
    code,
    message,
  });
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  const db = dataDir === undefined ? 'the database' : `the database ${join(dataDir, 'blip.sqlite')}`;
  if (isBlipError(err)) return fail(err.code, message);
  if (typeof code === 'string' && LOCKED.has(code))
    return fail(
      'DATABASE_LOCKED',
      `${db} is locked by another process (${message}); stop it or use another DATA_DIR`,
    );
  if (typeof code === 'string' && NOT_WRITABLE.test(code))
    return fail(
      'DATABASE_NOT_WRITABLE',
      `${db} cannot be written (${message}); DATA_DIR must be a writable folder`,
    );
  if (typeof code === 'string' && UNREACHABLE.has(code))
    return fail(
      'DATABASE_UNREACHABLE',
      `the PostgreSQL of DATABASE_URL cannot be used (${message}); check that it runs and the URL's host, user, password and database`,
    );
  if (code === 'EADDRINUSE') return fail('PORT_IN_USE', `${message}; set PORT to a free port (0 = any)`);
  if (message.startsWith('setting ')) return fail('CONFIG_INVALID', message);
  return fail('STARTUP_FAILED', message);
}
