// Services the scale and store tests start for real (PostgreSQL, Redis, HAProxy) come from Debian packages.
// When one is missing, scripts/system-deps.sh installs it (root + apt-get) or stops with the one command to run,
// the same rule `npm test` follows for Chromium.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO } from './paths.js';

/** The path of `binary` (first of `candidates` that exists), installing the system packages when none does. */
export function systemBinary(candidates: string[], debianPackage: string): string {
  const found = () => candidates.find((path) => existsSync(path));
  if (found()) return found() as string;
  try {
    execFileSync('bash', [resolve(REPO, 'scripts/system-deps.sh'), 'test'], { stdio: 'inherit' });
  } catch {
    // system-deps.sh has printed the command to run
  }
  const path = found();
  if (!path) throw new Error(`${candidates[0]} is missing; run: sudo apt-get install -y ${debianPackage}`);
  return path;
}
