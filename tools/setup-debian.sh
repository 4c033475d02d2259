#!/usr/bin/env bash
# File: tools/setup-debian.sh
# Installs what mmcheck needs to build and test on Debian 12 (run as root).
# Packages already present are left alone, so it is cheap to re-run.
set -euo pipefail
packages=(g++ cmake ninja-build pkg-config libabsl-dev libtbb-dev libcli11-dev
          nlohmann-json3-dev libxxhash-dev libgtest-dev libgmock-dev libbenchmark-dev
          python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
