// A throw-away PostgreSQL server for tests: initdb into a temp folder, listen on a unix socket in that folder
// only (no TCP port to pick or collide on), trust authentication, torn down with the folder.
import { execFileSync } from 'node:child_process';
import { chownSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startChildServer } from './child-server.js';
import { systemBinary } from './system-package.js';
import { tempDir } from './temp.js';

const BIN = '/usr/lib/postgresql/15/bin';
const USER = 'blip';

/** A running test PostgreSQL. */
export interface TestPostgres {
  /** postgresql:// URL of the `postgres` database as the superuser `blip`. */
  url: string;
  /** A new empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user the Debian package made. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['/usr/sbin/runuser', ['-u', 'postgres', '--', command, ...args]];
}

/** initdb + postgres on a unix socket; resolves once the server says it accepts connections. */
export async function startPostgres(): Promise<TestPostgres> {
  const postgres = systemBinary([join(BIN, 'postgres')], 'postgresql-15');
  const dir = tempDir('blip-pg-');
  if (process.getuid?.() === 0) {
    const uid = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(uid), Number(gid));
  }
  const data = join(dir, 'data');
  const [initCmd, initArgs] = asServerUser(join(BIN, 'initdb'), [
    ...['-D', data, '-U', USER, '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C'],
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  // Durability is not what these tests are about: fsync off keeps a 2-core machine shared by others responsive.
  const [cmd, args] = asServerUser(postgres, [
    ...['-D', data, '-k', dir, '-c', 'listen_addresses=', '-c', 'fsync=off'],
    ...['-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
  ]);
  const server = await startChildServer({
    command: cmd,
    args,
    cwd: dir,
    listeningUrl: (line) =>
      line.includes('database system is ready to accept connections')
        ? `postgresql://${USER}@localhost/postgres?host=${encodeURIComponent(dir)}`
        : undefined,
    timeoutMs: 60_000,
  });
  const urlOf = (db: string) => server.url.replace('/postgres?', `/${db}?`);
  return {
    url: server.url,
    async createDatabase(name: string) {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return urlOf(name);
    },
    // SIGINT is PostgreSQL's fast shutdown: disconnect clients, stop at once.
    stop: () => server.stop('SIGINT'),
  };
}
