#!/usr/bin/env bash
# One bounded libFuzzer run, as the ctest tests fuzz.<name> run it (tests/run.sh):
#   run_bounded.sh BINARY SECONDS WORKDIR SEEDDIR
# Fuzzes for SECONDS from a fresh corpus in WORKDIR/corpus, seeded from SEEDDIR and from
# tests/fuzz/findings/<target>/ (saved reproducers: a finding not yet fixed fails here),
# with the target's options (options.sh). Prints libFuzzer's summary; on a
# crash, a sanitizer report, a timeout or a leak it prints the report and how to replay
# the saved input, and fails.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 BINARY SECONDS WORKDIR SEEDDIR" >&2; exit 2; }
bin=$1 seconds=$2 work=$3 seeds=$4
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$bin")

rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
dirs=("$work/corpus" "$seeds")
if [ -d "$here/findings/$name" ] && [ -n "$(ls -A "$here/findings/$name")" ]; then
  dirs+=("$here/findings/$name")
fi
# shellcheck source=options.sh
. "$here/options.sh"
fuzz_options "$name" "$work/artifacts"
opts=(-max_total_time="$seconds" "${fuzz_opts[@]}")
status=0
"$bin" "${opts[@]}" "${dirs[@]}" >"$work/log" 2>&1 || status=$?

if [ "$status" -eq 0 ]; then
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$work/log" || true
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$work/log" || true
  echo "$name: no finding in ${seconds}s"
  exit 0
fi
echo "$name: FINDING (libFuzzer exit status $status); the end of its log ($work/log):"
tail -n 150 "$work/log"
for a in "$work"/artifacts/*; do
  [ -e "$a" ] || continue
  echo "saved input: $a"
  echo "replay:      $bin $a"
  echo "keep it:     mkdir -p $here/findings/$name && cp $a $here/findings/$name/"
done
exit 1
