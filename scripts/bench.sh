#!/usr/bin/env bash
# `npm run bench [-- --quick]`: every benchmark, results printed and written under artifacts/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run bench -w @blip/engine -- "$@"
# Our engine against the reference Python pipeline, PyTorch generate() and the bare OpenVINO floor (each in its own process).
npx tsx packages/blip-engine/bench/contenders.ts "$@"
# 1/2/4/8 concurrent clients through the real API, per OpenVINO hint / streams / API concurrency setting.
npx tsx apps/api/bench/load.ts "$@"
# Issue 18: the tutorial as people run it (OpenVINO defaults; INT8 too when BLIP_BENCH_INT8_MODEL names a folder),
# the decoder step against bare inference, and continuous batching's throughput (BLIP_BENCH_MODEL picks the folder).
npx tsx packages/blip-engine/bench/tutorial.ts "$@"
npx tsx packages/blip-engine/bench/step.ts "$@"
npx tsx packages/blip-engine/bench/throughput.ts "$@"
npx tsx apps/api/bench/throughput.ts "$@"
