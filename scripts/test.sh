#!/usr/bin/env bash
# Every test of the repo, one package at a time (2 cores: parallel suites would only fight).
set -euo pipefail
cd "$(dirname "$0")/.."
npx biome check .
npx turbo run typecheck test --concurrency=1 --continue=never --output-logs=full
