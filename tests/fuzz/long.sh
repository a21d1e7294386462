#!/usr/bin/env bash
# The long fuzzing run: every target (or those named) for SECONDS each (default 600),
# one after the other, each from its corpus of earlier long runs plus the vectors' seeds,
# so that coverage accumulates from run to run. Prints per target: executions, execs/s,
# coverage (libFuzzer's cov = edges, ft = features), corpus size, and findings (crash-,
# leak-, timeout-, oom- inputs), then a table of all of them.
#
#   bash tests/fuzz/long.sh [SECONDS] [fuzz_json fuzz_http ...]
#   JOBS=2 bash tests/fuzz/long.sh 600      # two targets at a time (machine with spare cores)
#
# Builds build/fuzz as tests/run.sh does (clang, -DNPS_FUZZ=ON). Kept under build/fuzz/long/:
# <target>/corpus (the grown corpus), <target>/artifacts (findings), <target>/log, summary.txt.
# A finding stops that target's run (libFuzzer stops at the first); save the reproducer in
# tests/fuzz/findings/<target>/ (every bounded run then replays it) and report it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_survey fuzz_response fuzz_visitor fuzz_score_list fuzz_json fuzz_http)
jobs=${JOBS:-1}
build=build/fuzz
long=$build/long

export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
CC=clang CXX=clang++ cmake -S . -B $build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNPS_FUZZ=ON \
  -DNPS_BUILD_TESTS=OFF -DNPS_BUILD_WIDGET=OFF >/dev/null
cmake --build $build -j "$(nproc)" --target "${targets[@]}" >/dev/null
python3 tests/fuzz/make_corpus.py --vectors tests/vectors --out $build/corpus >/dev/null

# shellcheck source=options.sh
. tests/fuzz/options.sh

run_one() {
  local name=$1 dir=$long/$1
  mkdir -p "$dir/corpus" "$dir/artifacts"
  local dirs=("$dir/corpus" "$build/corpus/$name")
  [ -d "tests/fuzz/findings/$name" ] && dirs+=("tests/fuzz/findings/$name")
  fuzz_options "$name" "$dir/artifacts"
  local opts=(-max_total_time="$seconds" "${fuzz_opts[@]}")
  local before start status=0
  before=$(ls "$dir/artifacts" | wc -l)
  start=$(date +%s)
  "$build/tests/fuzz/$name" "${opts[@]}" "${dirs[@]}" >"$dir/log" 2>&1 || status=$?
  local elapsed=$(( $(date +%s) - start ))
  # The last status line: "#N  REDUCE|NEW|pulse|DONE  cov: X ft: Y corp: A/Bb ... exec/s: E".
  local last execs cov ft corp
  last=$(grep -E '^#[0-9]+[[:space:]]' "$dir/log" | tail -n 1)
  execs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$last")
  cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | cut -d' ' -f2)
  corp=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]+' <<<"$last" | cut -d' ' -f2)
  local found=$(( $(ls "$dir/artifacts" | grep -cE '^(crash|leak|timeout|oom)-' || true) ))
  local new_found=$(( $(ls "$dir/artifacts" | wc -l) - before ))
  local rate=$(( ${execs:-0} / (elapsed > 0 ? elapsed : 1) ))
  local line
  line=$(printf '%-16s %6ss %12s %9s %7s %8s %12s %9s' "$name" "$elapsed" "${execs:-0}" "$rate" \
         "${cov:-?}" "${ft:-?}" "${corp:-?}" "$new_found")
  echo "$line" >"$dir/summary"
  echo "$name: $elapsed s, ${execs:-0} executions, $rate exec/s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}," \
       "findings this run $new_found (exit status $status; all kept: $found in $dir/artifacts)"
  if [ "$status" -ne 0 ]; then
    grep -E '^(==[0-9]+==ERROR|SUMMARY|FUZZ INVARIANT|.*runtime error)' "$dir/log" | head -n 5 | sed 's/^/  /'
    ls -t "$dir/artifacts" | head -n 3 | sed "s|^|  saved: $dir/artifacts/|"
  fi
}

echo "long fuzzing run: ${seconds}s per target, ${jobs} at a time, on $(nproc) cores (load $(cut -d' ' -f1-3 /proc/loadavg))"
running=0
for t in "${targets[@]}"; do
  if [ "$jobs" -le 1 ]; then
    run_one "$t"
  else
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
  fi
done
wait

{
  printf '%-16s %7s %12s %9s %7s %8s %12s %9s\n' target time executions exec/s cov ft corpus findings
  for t in "${targets[@]}"; do cat "$long/$t/summary"; done
} | tee "$long/summary.txt"
if awk '$NF > 0 { found = 1 } END { exit !found }' $(printf "$long/%s/summary " "${targets[@]}"); then
  echo "long.sh: FINDINGS above (inputs under $long/<target>/artifacts/)"
  exit 1
fi
echo "long.sh: no finding"
