#!/usr/bin/env bash
# Browser tests against a throwaway Automat: a fresh AUTOMAT_HOME (embedded PostgreSQL + Redis),
# a free port and a known demo password; waits for /health, runs Playwright (system Chromium),
# and always stops the server with SIGINT (the supervisor stops its children), whatever happened.
#
#   frontend/e2e/run.sh [playwright args…]      (`make e2e` builds the UI first)
#   E2E_KEEP=1 …   keep the temp AUTOMAT_HOME for a look afterwards
set -euo pipefail
cd "$(dirname "$0")/.."
FRONTEND=$PWD
ROOT=$(cd .. && pwd)
OUT=$FRONTEND/test-results
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
START_TIMEOUT_S=${E2E_START_TIMEOUT_S:-180}

[[ -f dist/index.html ]] || { echo "e2e: frontend/dist is missing: run make web" >&2; exit 1; }
[[ -x $CHROMIUM ]] || { echo "e2e: no Chromium at $CHROMIUM (apt-get install chromium)" >&2; exit 1; }

rm -rf "$OUT/screenshots"
mkdir -p "$OUT/screenshots"
home=$(mktemp -d "${TMPDIR:-/tmp}/automat-e2e.XXXXXX")
port=$("$ROOT/.venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password="e2e-$("$ROOT/.venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(12))')"

# A private installation: embedded servers even when the shell points at real ones.
unset AUTOMAT_DATABASE_URL AUTOMAT_APP_DATABASE_URL AUTOMAT_REDIS_URL AUTOMAT_SECRET_KEY
export AUTOMAT_HOME=$home AUTOMAT_HOST=127.0.0.1 AUTOMAT_PORT=$port
export AUTOMAT_DEMO_PASSWORD=$password AUTOMAT_WEB_DIST=$FRONTEND/dist
export AUTOMAT_LOGIN_MAX_FAILURES_PER_EMAIL=3

server=""
stop() {
  local status=$?
  if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
    kill -INT "$server" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$server" 2>/dev/null; then
      echo "e2e: Automat did not stop within 30 s of SIGINT; sending SIGTERM" >&2
      kill -TERM "$server" 2>/dev/null || true
      sleep 5
    fi
    wait "$server" 2>/dev/null || true
  fi
  if [[ -z ${E2E_KEEP:-} ]]; then rm -rf "$home"; else echo "e2e: kept $home"; fi
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT TERM

started=$SECONDS
# Job control on: the server runs in its own process group and, unlike a plain background job of
# a script, does not ignore SIGINT.
set -m
"$ROOT/.venv/bin/automat" up >"$OUT/server.log" 2>&1 &
server=$!
set +m
echo "e2e: starting Automat on port $port (log: frontend/test-results/server.log)"
until curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "e2e: Automat exited during start-up; the end of its log:" >&2
    tail -n 40 "$OUT/server.log" >&2
    exit 1
  fi
  if (( SECONDS - started > START_TIMEOUT_S )); then
    echo "e2e: Automat not healthy after ${START_TIMEOUT_S} s; the end of its log:" >&2
    tail -n 40 "$OUT/server.log" >&2
    exit 1
  fi
  sleep 1
done
echo "e2e: Automat healthy after $(( SECONDS - started )) s"

E2E_BASE_URL="http://127.0.0.1:$port" E2E_DEMO_PASSWORD=$password CHROMIUM=$CHROMIUM \
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 node_modules/.bin/playwright test "$@"
echo "e2e: screenshots in frontend/test-results/screenshots/"
