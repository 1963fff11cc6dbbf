// A throw-away Redis for tests: no TCP port (nothing to pick or collide on), a unix socket in a temp folder,
// nothing saved to disk, torn down with the folder.
import { join } from 'node:path';
import { startChildServer } from './child-server.js';
import { systemBinary } from './system-package.js';
import { tempDir } from './temp.js';

/** A running test Redis. */
export interface TestRedis {
  /** unix:///…/redis.sock, as REDIS_URL takes it. */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** redis-server on a unix socket; resolves once it says it accepts connections. */
export async function startRedis(): Promise<TestRedis> {
  const redis = systemBinary(['/usr/bin/redis-server'], 'redis-server');
  const dir = tempDir('blip-redis-');
  const socket = join(dir, 'redis.sock');
  const server = await startChildServer({
    command: redis,
    args: [
      ...['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir],
      ...['--save', '', '--appendonly', 'no', '--loglevel', 'notice'],
    ],
    cwd: dir,
    listeningUrl: (line) => (/ready to accept connections/i.test(line) ? `unix://${socket}` : undefined),
    timeoutMs: 30_000,
  });
  return { url: server.url, pid: server.pid, stop: () => server.stop('SIGTERM') };
}
