#!/usr/bin/env bash
# Runs a test command N times in a row while every core is kept busy by another process (`yes > /dev/null`, one
# per core), to show a suite does not depend on the machine's speed. One line per run; exits 1 if any run failed.
# Usage: scripts/under-load.sh <runs> <command…>     e.g. scripts/under-load.sh 5 npm test -w @blip/api
# Each run's output goes to artifacts/under-load/run-<k>.log.
set -uo pipefail
cd "$(dirname "$0")/.."
runs="$1"; shift
mkdir -p artifacts/under-load
hogs=()
for _ in $(seq "$(nproc)"); do yes > /dev/null & hogs+=("$!"); done
trap 'kill "${hogs[@]}" 2>/dev/null' EXIT
echo "[under-load] ${#hogs[@]} busy-loop processes (pids ${hogs[*]}); command: $*"
failed=0
for k in $(seq "$runs"); do
  started=$(date +%s)
  if "$@" > "artifacts/under-load/run-$k.log" 2>&1; then result=pass; else result=FAIL; failed=1; fi
  summary=$(grep -E '^# (pass|fail) ' "artifacts/under-load/run-$k.log" | awk '{s[$2]+=$3} END {printf "tests passed %d, failed %d", s["pass"], s["fail"]}')
  echo "[under-load] run $k/$runs: $result in $(( $(date +%s) - started )) s ($summary; load $(cut -d' ' -f1 /proc/loadavg))"
done
exit "$failed"
