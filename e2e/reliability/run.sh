#!/usr/bin/env bash
# The reliability suite: empties the results file, runs every *.test.ts here (one file at a time), then renders
# the report from what the tests recorded, also when a test failed (the table shows which), and exits with the
# tests' status. The report goes to artifacts/reliability/RELIABILITY.md, so a test run leaves the tree clean;
# with --write-report (`npm run reliability`) it also replaces the committed RELIABILITY.md.
# Usage: e2e/reliability/run.sh [--write-report]
set -uo pipefail
cd "$(dirname "$0")/../.."
rm -f artifacts/reliability/results.jsonl
bash scripts/node-test.sh e2e/reliability
status=$?
node --import tsx e2e/reliability/render.ts "$@" || status=1
exit "$status"
