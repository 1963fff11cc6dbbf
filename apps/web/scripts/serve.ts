// `npm start -w @blip/web`: builds the app when the build is missing or older than the sources, then serves it.
// The API address is read at run time (BLIP_API_URL), so one build serves any API.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const APP = resolve(import.meta.dirname, '..');
// The API's schema is a source too: the operation types in src/gql/ are generated from it (codegen.ts).
const SOURCES = ['src', 'next.config.ts', 'package.json', 'codegen.ts', '../api/schema.graphql'];

/** Newest modification time under `path`, ms. */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** True when .next holds a production build at least as new as every source file. */
export function buildIsFresh(app = APP): boolean {
  const stamp = join(app, '.next', 'BUILD_ID');
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return SOURCES.every((s) => !existsSync(join(app, s)) || newest(join(app, s)) <= built);
}

function run(bin: string, args: string[]): void {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: APP, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const MODULES = join(APP, '..', '..', 'node_modules');
const NEXT = join(MODULES, 'next', 'dist', 'bin', 'next');
const CODEGEN = join(MODULES, '@graphql-codegen', 'cli', 'esm', 'bin.js');

if (process.argv[1] === import.meta.filename) {
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  if (!buildIsFresh()) {
    console.log('[web] building the production bundle (first start or sources changed)…');
    run(CODEGEN, ['--config', 'codegen.ts']);
    run(NEXT, ['build']);
  }
  const port = process.env.WEB_PORT ?? '3000';
  const host = process.env.WEB_HOST ?? '127.0.0.1';
  console.log(
    `[web] Open http://localhost:${port} (API: ${process.env.BLIP_API_URL ?? 'http://127.0.0.1:4000/graphql'})`,
  );
  run(NEXT, ['start', '--port', port, '--hostname', host]);
}
