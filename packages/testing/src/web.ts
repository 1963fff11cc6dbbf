// The built web app (apps/web/scripts/serve.ts → `next start`) as a child process on port 0 in front of an API.
// Next.js binds the port it is given (0: any free one), prints "- Local: <url>" with the port it got, then
// "✓ Ready in …" once it serves: the URL is taken from the first line and returned at the second.
import { type ChildServer, startChildServer } from './child-server.js';
import { REPO } from './paths.js';

/** How long the web app may take to build (first run or changed sources) and start, ms. */
export const WEB_START_TIMEOUT_MS = 300_000;

/** A line reader for `next start` output: the reported URL once the server says it is ready. */
export function nextListeningUrl(): (line: string) => string | undefined {
  let local: string | undefined;
  return (line) => {
    local = /-\s+Local:\s+(http\S+)/.exec(line)?.[1] ?? local;
    return /Ready in/.test(line) ? local : undefined;
  };
}

/** Starts apps/web on 127.0.0.1 port 0 with its API at `apiUrl` (the API's base URL). */
export function startWeb(apiUrl: string, env: Record<string, string> = {}): Promise<ChildServer> {
  return startChildServer({
    command: process.execPath,
    args: ['--import', 'tsx', 'apps/web/scripts/serve.ts'],
    cwd: REPO,
    env: {
      NEXT_TELEMETRY_DISABLED: '1',
      WEB_PORT: '0',
      WEB_HOST: '127.0.0.1',
      BLIP_API_URL: `${apiUrl}/graphql`,
      ...env,
    },
    listeningUrl: nextListeningUrl(),
    timeoutMs: WEB_START_TIMEOUT_MS,
  });
}
