#!/usr/bin/env bash
# `npm start`: the API and the web app together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
trap 'kill 0' EXIT INT TERM
npm run start -w @blip/api &
npm run start -w @blip/web &
wait -n
