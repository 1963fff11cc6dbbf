#!/usr/bin/env bash
# Every test of the repo, one package at a time (2 cores: parallel suites would only fight).
# Tests must leave the work tree as they found it: anything they render goes to the git-ignored artifacts/.
# So the run fails when `git status --porcelain` differs afterwards, naming what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
tree_state() { git status --porcelain --untracked-files=all 2>/dev/null || true; }
before="$(tree_state)"
npx biome check .
npm run --silent cycles   # import cycles anywhere in the repo (dpdm, ~7 s)
npx turbo run typecheck test --concurrency=1 --continue=never --output-logs=full
after="$(tree_state)"
if [ "$before" != "$after" ]; then
  echo "the tests changed the work tree (they must write only to git-ignored folders such as artifacts/):" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  exit 1
fi
echo "work tree unchanged by the tests"
