#!/usr/bin/env bash
# The model toolchain's tests. Pytest's exit 5 (no tests collected) is a failure here.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/models"
"$root/scripts/py" -m pytest -q -p no:cacheprovider "$@"
rc=$?
[ "$rc" -eq 5 ] && { echo "pytest collected no tests: failing"; exit 1; }
exit "$rc"
