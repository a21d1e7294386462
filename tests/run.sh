#!/usr/bin/env bash
# Runs every test: installs what is missing, builds the core natively, to WebAssembly and
# with clang's ASan+UBSan and libFuzzer instrumentation, then runs the Catch2 suites, the
# CLI, web and e-mail tests, the shared vectors through both the native and the Wasm core
# (whose outputs must be byte-identical), the formatting check, the same suites again under
# the sanitizers, and a bounded run of every fuzz target (NPS_FUZZ_SECONDS per target,
# default 20; tests/fuzz/long.sh runs them longer).
#
# Time on 2 cores: the sanitizer tree is built at the lowest CPU priority beside the Wasm,
# web and native builds and the native tests, so it takes only the CPU they leave idle (the
# browser tests run one at a time and leave one core mostly free); its tests run after the
# native tests, at normal priority, so the timed ones (slowloris, kill -9) are not starved.
# A failed build stops the script; both test stages run even when the first failed, and the
# script then fails at the end, naming them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash backend/deps.sh
export NODE_PATH=/usr/share/nodejs   # Debian's emscripten optimizer needs Debian's acorn
jobs=$(nproc)
started=$SECONDS
failed=()

step() { printf '\n==> %s (%d s)\n' "$*" $((SECONDS - started)); }

# The sanitizer tree: clang, ASan+UBSan and libFuzzer's coverage instrumentation on every
# library (NPS_FUZZ), so the Catch2 suites and the fuzz targets share one build. -O1: the
# suites run about twice as fast as at -O0 and the fuzzers get more inputs per second.
sanitizer_log="$root/build/sanitizer-build.log"
mkdir -p build
# Lowest priority: nice 19, in a session of its own whose scheduler group is given nice 19
# too (with the kernel's autogroup scheduling, on by default, a niced process still gets its
# session's fair share against other sessions, e.g. the browsers the tests start).
export NPS_FUZZ_SECONDS=${NPS_FUZZ_SECONDS:-20}
setsid --wait bash -c '
  echo 19 > /proc/self/autogroup 2>/dev/null || true
  CC=clang CXX=clang++ cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DNPS_SANITIZE=ON -DNPS_FUZZ=ON -DNPS_BUILD_BENCH=OFF \
    -DNPS_FUZZ_SECONDS="$NPS_FUZZ_SECONDS" >/dev/null &&
  exec nice -n 19 cmake --build build/asan -j "$1"' _ "$jobs" >"$sanitizer_log" 2>&1 &
sanitizer_build=$!

step "Wasm build (Emscripten)"
emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm -j "$jobs"

step "web bundle (esbuild) with the Wasm modules into web/dist"
( cd web && npm run --silent typecheck && npm run --silent build )
# The ImGui canvas demo goes where npsd serves static files (--web-root, default web/dist).
mkdir -p web/dist/canvas
cp build/wasm/widget/canvas.html build/wasm/widget/canvas.js build/wasm/widget/nps-canvas.js \
   build/wasm/widget/nps-canvas.wasm build/wasm/widget/nps-canvas.data web/dist/canvas/
step "dashboard bundle into web/dist/dashboard (after any step that empties web/dist)"
( cd web && npm run --silent typecheck:dashboard && npm run --silent build:dashboard )

step "native build"
# -g1: line tables only (backtraces keep file and line); full debug info made every source
# file a quarter slower to build (9.5 s against 7.1 s for one route file).
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DNPS_WASM_DIR="$root/build/wasm/web" \
  -DNPS_CANVAS_DIR="$root/build/wasm/widget" >/dev/null
cmake --build build/native -j "$jobs"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
step "tests: native, Wasm vectors (the sanitizer tree builds beside them at low priority)"
ctest --test-dir build/native --output-on-failure -j "$jobs" || failed+=("native tests")

step "sanitizer build (clang, ASan+UBSan, libFuzzer): waiting for it"
if wait "$sanitizer_build"; then
  tail -n 3 "$sanitizer_log"
  # The fuzz targets are ctest tests of this tree (label "fuzz"): each runs
  # NPS_FUZZ_SECONDS, bounded by a timeout; tests/fuzz/run_bounded.sh prints how to replay
  # a finding.
  step "tests: ASan+UBSan, and every fuzz target ${NPS_FUZZ_SECONDS}s"
  ctest --test-dir build/asan --output-on-failure -j "$jobs" || failed+=("sanitizer tests and fuzzing")
else
  cat "$sanitizer_log"
  failed+=("sanitizer build")
fi

step "done"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "every stage passed"
