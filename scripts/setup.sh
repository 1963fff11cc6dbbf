#!/usr/bin/env bash
# Idempotent setup on a fresh clone: system packages, npm packages, then the Python venv of the model toolchain.
# Quick when already done: each step is skipped while its inputs are unchanged.
# Usage: scripts/setup.sh [start|test]   (what the set-up is for: `npm test` needs more system packages)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh "${1:-start}"

# node-gyp (better-sqlite3) must build against the local Node headers: it cannot download them here.
npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
export npm_config_nodedir

step() { echo "[setup] $*"; }

npm_stamp=node_modules/.setup-stamp
if [ ! -f "$npm_stamp" ] || [ package-lock.json -nt "$npm_stamp" ] || [ package.json -nt "$npm_stamp" ]; then
  step "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
  touch "$npm_stamp"
else
  step "npm packages up to date"
fi

req_hash="$(sha256sum models/requirements.txt | cut -d' ' -f1)"
if [ "$(cat .venv/.requirements-sha256 2>/dev/null || true)" != "$req_hash" ]; then
  step "creating the Python venv (.venv) from models/requirements.txt"
  python3 -m venv .venv
  # pip's configured extra indexes print a warning per package here: keep only what matters.
  .venv/bin/pip install --quiet --disable-pip-version-check -r models/requirements.txt 2>&1 \
    | { grep -v '^WARNING: Location' || true; }
  echo "$req_hash" > .venv/.requirements-sha256
else
  step "Python venv up to date"
fi
