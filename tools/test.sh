#!/usr/bin/env bash
# File: tools/test.sh
# Sets up a fresh Debian 12 machine, builds Release, runs every test with
# ctest, then rebuilds the engine, spec and litmus tests under ASan+UBSan and
# runs them again. CI runs this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-debian.sh
jobs=$(nproc)

bash tools/build.sh -DMMCHECK_TESTS=ON
ctest --test-dir build -j"$jobs" --output-on-failure

# Sanitizers: the engine runs its parallel phases on 2-4 threads in these tests.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMCHECK_TESTS=ON \
  -DMMCHECK_SANITIZE=address >/dev/null
cmake --build build-asan -j"$jobs" --target engine_test spec_test litmus_parse_test
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan -j"$jobs" --output-on-failure -E '^cli$'
