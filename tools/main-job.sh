#!/usr/bin/env bash
# File: tools/main-job.sh
# The main job on a fresh Debian 12 machine: set up, build Release, and run the
# gate over every protocol: every row of every expected-verdict table
# (properties/**/*.expect), small and large. Prints the verdict table; exits
# 0 when every row matches, 20 when one does not (see docs/cli.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-debian.sh
bash tools/build.sh
exec build/mmcheck gate --size all --threads "$(nproc)" "$@"
