#!/usr/bin/env bash
# Runs OpenNPS: installs what is missing, builds, and starts npsd on 127.0.0.1:8080 with
# its SQLite database under ./data/ (schema created on first start). On first start npsd
# prints an admin API token once. Extra arguments go to npsd (see `npsd --help`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash backend/deps.sh
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/native --target npsd nps -j "$(nproc)"
mkdir -p data
( cd web && npm run --silent build:dashboard )   # served at /dashboard/
# A living dashboard on first start: npsd fills a database that has no survey yet with
# synthetic answers (survey acme-app). NPSD_DEMO_DATA=0 starts empty.
export NPSD_DEMO_DATA=${NPSD_DEMO_DATA:-1}
echo "npsd: http://127.0.0.1:8080, dashboard at /dashboard/ (database data/npsd.sqlite3; Ctrl-C stops it)"
exec build/native/backend/npsd --db data/npsd.sqlite3 "$@"
