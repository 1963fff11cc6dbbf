#!/usr/bin/env bash
# `npm run bench [-- --quick]`: every benchmark, results printed and written under artifacts/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run bench -w @blip/engine -- "$@"
