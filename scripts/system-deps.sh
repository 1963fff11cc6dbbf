#!/usr/bin/env bash
# The system (Debian) packages `npm start` or `npm test` needs, checked before anything else runs.
# Missing ones are installed when that is possible here (root and apt-get); otherwise this stops at once with
# one line giving the exact command to run. Usage: scripts/system-deps.sh start|test
set -euo pipefail
purpose="${1:-start}"

# One need per line: "<check> <Debian package>", where the check is `cmd:<name>` (on PATH), `file:<path>`,
# or `py:<module>` (importable by python3). Add a line when a test starts needing a new service or tool.
start_needs=(
  "cmd:python3 python3"     # the model toolchain's venv (scripts/setup.sh)
  "py:ensurepip python3-venv"
  "cmd:make make"           # node-gyp builds better-sqlite3 from source (no prebuilt download here)
  "cmd:g++ g++"
)
test_needs=(
  "file:/usr/bin/chromium chromium"   # the browser suite drives Debian's Chromium (never a downloaded one)
  "file:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core"   # text in screenshots
  "cmd:curl curl"           # e2e/clients drives the API with curl as its docs say
  "file:/usr/lib/postgresql/15/bin/postgres postgresql-15"  # the store's tests and e2e/scale run a real PostgreSQL
  "cmd:redis-server redis-server"   # e2e/scale: cross-replica signals
  "cmd:haproxy haproxy"     # e2e/scale: the load balancer in front of the replicas
)

needs=("${start_needs[@]}")
case "$purpose" in
  start) ;;
  test) needs+=("${test_needs[@]}") ;;
  *) echo "usage: $0 start|test" >&2; exit 2 ;;
esac

present() {
  local kind="${1%%:*}" what="${1#*:}"
  case "$kind" in
    cmd) command -v "$what" >/dev/null 2>&1 ;;
    file) [ -e "$what" ] ;;
    py) command -v python3 >/dev/null 2>&1 && python3 -c "import $what" >/dev/null 2>&1 ;;
  esac
}

missing=()
for need in "${needs[@]}"; do
  read -r check package <<<"$need"
  present "$check" || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

command_line="apt-get install -y ${missing[*]}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "[setup] missing system packages for npm $purpose; run: sudo $command_line" >&2
  exit 1
fi
echo "[setup] installing missing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp -t apt-XXXXXX.log)"
if ! { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
  echo "[setup] could not install system packages for npm $purpose (apt's output: $log); run: $command_line" >&2
  exit 1
fi
rm -f "$log"
