#!/usr/bin/env bash
# File: tools/build.sh
# Configures and builds Release into build/ (the binary is build/mmcheck).
# Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j"$(nproc)"
