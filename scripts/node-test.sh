#!/usr/bin/env bash
# Run Node's test runner on every *.test.ts below the given folders (Node 20's --test does not expand globs).
# Fails when no test file is found, so a typo cannot turn into a green run of nothing.
set -euo pipefail
mapfile -t files < <(find "$@" -name '*.test.ts' -not -path '*/node_modules/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "no *.test.ts under: $*" >&2; exit 1; fi
exec node --import tsx --test --test-concurrency=1 "${files[@]}"
