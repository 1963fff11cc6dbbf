#!/usr/bin/env bash
# `npm run models -- <subcommand>`: the Python model toolchain.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
exec "$root/scripts/py" -m blip_tools "$@"
