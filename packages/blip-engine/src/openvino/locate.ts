// Finding OpenVINO's C library on disk: OPENVINO_LIB_DIR first, then the repo's Python venv (the `openvino` wheel).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** File name prefix of the C API library; the wheel ships only versioned names (libopenvino_c.so.2641). */
const LIB_PREFIX = 'libopenvino_c.so';

/** Thrown when no libopenvino_c could be found; lists every place searched and how to fix it. */
export class OpenVinoNotFoundError extends Error {
  readonly searched: string[];

  constructor(searched: string[]) {
    super(
      `OpenVINO C library (${LIB_PREFIX}*) not found. Looked in:\n${searched.map((p) => `  - ${p}`).join('\n')}\n` +
        'Fix: run `npm run setup` (creates .venv with the openvino wheel), or set OPENVINO_LIB_DIR to the folder ' +
        'holding libopenvino_c.so.<version>.',
    );
    this.name = 'OpenVinoNotFoundError';
    this.searched = searched;
  }
}

/** The repository root: the nearest ancestor of this file holding both package.json and models/. */
function repoRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Candidate folders in search order: OPENVINO_LIB_DIR, then every python3.* site-packages of the repo venv. */
export function candidateDirs(env: NodeJS.ProcessEnv = process.env, root = repoRoot()): string[] {
  const dirs: string[] = [];
  if (env.OPENVINO_LIB_DIR) dirs.push(resolve(env.OPENVINO_LIB_DIR));
  if (root) {
    const libDir = join(root, '.venv', 'lib');
    const pythons = existsSync(libDir) ? readdirSync(libDir).filter((d) => d.startsWith('python3')) : [];
    if (pythons.length === 0) dirs.push(join(libDir, 'python3*', 'site-packages', 'openvino', 'libs'));
    for (const py of pythons.sort().reverse())
      dirs.push(join(libDir, py, 'site-packages', 'openvino', 'libs'));
  }
  return dirs;
}

/** The library file inside one folder (unversioned name preferred, else the highest version), or undefined. */
function libraryIn(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const names = readdirSync(dir).filter((n) => n === LIB_PREFIX || n.startsWith(`${LIB_PREFIX}.`));
  if (names.includes(LIB_PREFIX)) return join(dir, LIB_PREFIX);
  const best = names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
  return best === undefined ? undefined : join(dir, best);
}

/** Full path of libopenvino_c, or an OpenVinoNotFoundError naming every folder searched. */
export function locateOpenVino(env: NodeJS.ProcessEnv = process.env, root = repoRoot()): string {
  const dirs = candidateDirs(env, root);
  for (const dir of dirs) {
    const found = libraryIn(dir);
    if (found) return found;
  }
  throw new OpenVinoNotFoundError(
    dirs.length > 0 ? dirs : ['(no OPENVINO_LIB_DIR and no repository root found)'],
  );
}
