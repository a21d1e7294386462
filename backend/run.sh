#!/usr/bin/env bash
# Runs OpenNPS. Until npsd lands this builds the CLI and summarizes the sample survey;
# it becomes "start npsd with SQLite, the demo page and the dashboard".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash backend/deps.sh
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/native --target nps -j "$(nproc)"
echo "nps summarize backend/samples/paper-survey.csv --column score"
exec build/native/backend/nps summarize backend/samples/paper-survey.csv --column score
