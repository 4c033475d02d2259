#!/usr/bin/env bash
# File: tools/test.sh
# Sets up a fresh Debian 12 machine, builds Release, runs every test with
# ctest, runs the gate over the small expectation rows, then rebuilds
# everything under ASan+UBSan and runs every test again. CI runs this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-debian.sh
jobs=$(nproc)

bash tools/build.sh -DMMCHECK_TESTS=ON
ctest --test-dir build -j"$jobs" --output-on-failure

# The gate over every small expectation row (issue: within 5 minutes on 2 cores).
build/mmcheck gate --size small --threads "$jobs"
# The same rows with partial-order reduction: every verdict must be unchanged.
build/mmcheck gate --size small --por --threads "$jobs"

# Sanitizers: everything again under ASan+UBSan (the engine runs its parallel
# phases on 2-4 threads in these tests; the CLI test drives the binary).
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMCHECK_TESTS=ON \
  -DMMCHECK_SANITIZE=address >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan -j"$jobs" --output-on-failure

# ThreadSanitizer on the parallel engine (label `engine`: 1/2/4-thread runs).
# The TSan build runs the engine on std::thread (explorer/engine/parallel.hpp):
# Debian's uninstrumented libtbb would only produce false reports.
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMCHECK_TESTS=ON \
  -DMMCHECK_SANITIZE=thread >/dev/null
cmake --build build-tsan -j"$jobs" --target engine_test
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan -L engine -j"$jobs" --output-on-failure
