#!/usr/bin/env bash
# Runs OpenNPS: installs what is missing, builds, and starts npsd on 127.0.0.1:8080 with
# its SQLite database under ./data/ (schema created on first start). On first start npsd
# prints an admin API token once. Extra arguments go to npsd (see `npsd --help`).
# The widget (web/dist: loader, renderer, Wasm modules) is built too, and a survey "demo"
# is created on first start so that http://127.0.0.1:8080/demo/ shows the widget.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash backend/deps.sh
export NODE_PATH=/usr/share/nodejs   # Debian's emscripten optimizer needs Debian's acorn
emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
# Every Wasm target: web/build.mjs copies each browser module and writes the texts files
# with the full core (a list of targets here once fell behind it and broke this script).
cmake --build build/wasm -j "$(nproc)"
( cd web && npm run --silent build )
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/native --target npsd nps -j "$(nproc)"
mkdir -p data
( cd web && npm run --silent build:dashboard )   # served at /dashboard/ (after build: it empties web/dist)
# A living dashboard on first start: npsd fills a database that has no survey yet with
# synthetic answers (survey acme-app). NPSD_DEMO_DATA=0 starts empty.
export NPSD_DEMO_DATA=${NPSD_DEMO_DATA:-1}
if [ $# -eq 0 ] && curl -fs http://127.0.0.1:8080/healthz >/dev/null 2>&1; then
  echo "run.sh: something already answers on 127.0.0.1:8080 (another npsd?); stop it first" >&2
  exit 1
fi
echo "dashboard: http://127.0.0.1:8080/dashboard/ (sign in with the admin token npsd prints on first start)"
echo "npsd: http://127.0.0.1:8080 (database data/npsd.sqlite3; Ctrl-C stops it)"
echo "demo: http://127.0.0.1:8080/demo/"
if [ ! -e data/npsd.sqlite3 ] && [ -z "${NPSD_ADMIN_TOKEN:-}" ] && [ $# -eq 0 ]; then
  # First start: npsd prints its admin token; the demo survey is created with it.
  build/native/backend/npsd --db data/npsd.sqlite3 > >(tee data/.first-start.log) &
  pid=$!
  trap 'kill $pid 2>/dev/null' INT TERM
  for _ in $(seq 50); do curl -fs http://127.0.0.1:8080/healthz >/dev/null 2>&1 && break; sleep 0.2; done
  token=$(awk '/created the first admin API token/ { getline; print $1; exit }' data/.first-start.log)
  rm -f data/.first-start.log
  if [ -n "$token" ]; then
    curl -fs -X POST http://127.0.0.1:8080/v1/admin/surveys -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' \
      -d '{"id":"demo","name":"Demo","product":"Acme Notes","theme":{"position":"bottom-right"}}' >/dev/null \
      && echo "demo: survey \"demo\" created"
  fi
  wait $pid
else
  exec build/native/backend/npsd --db data/npsd.sqlite3 "$@"
fi
