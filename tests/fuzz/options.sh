# Sourced by run_bounded.sh and long.sh: the libFuzzer options a target runs with.
#   fuzz_options NAME ARTIFACT_DIR   → sets the array fuzz_opts
# Every target: -timeout=10 (an input taking longer is a finding), -rss_limit_mb=2560, final
# statistics, findings saved under ARTIFACT_DIR. The JSON readers get JSON tokens, fuzz_http
# HTTP tokens and no per-input leak check: with a server's pool threads allocating beside
# the fuzzer, every input would run LeakSanitizer over ~500 thread stacks (1 exec/s instead
# of 20 on the shared machine); leaks in the server are left to the ASan test suite.
fuzz_options() {
  local name=$1 artifacts=$2 here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  fuzz_opts=(-timeout=10 -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$artifacts/")
  case "$name" in
    fuzz_http) fuzz_opts+=(-dict="$here/dict/http.dict" -detect_leaks=0) ;;
    fuzz_score_list) ;;
    *) fuzz_opts+=(-dict="$here/dict/json.dict") ;;
  esac
}
export ASAN_OPTIONS=${NPS_FUZZ_ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
