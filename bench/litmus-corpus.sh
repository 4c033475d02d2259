#!/usr/bin/env bash
# File: bench/litmus-corpus.sh
# Runs memory models over the litmus corpus and writes
# results/litmus/<model>.tsv (one row per test: file, expected, verdict,
# agree, states, seconds, reason) plus results/litmus/<model>.summary.
#
# Usage: [LITMUS_FLAGS="--por"] bench/litmus-corpus.sh [BINARY] [CORPUS] [TIME_LIMIT_S] [MODELS...]
#   BINARY   default "build/mmcheck litmus"
#   CORPUS   default ../shared/litmus
#   TIME_LIMIT_S per test, default 5
#   MODELS   default: sc tso relaxed lkmm
#   LITMUS_FLAGS extra options for every run (recorded in the summary)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/mmcheck litmus}
corpus=${2:-$root/../shared/litmus}
limit=${3:-5}
shift $(( $# > 3 ? 3 : $# )) || true
models=("$@")
[ ${#models[@]} -eq 0 ] && models=(sc tso relaxed lkmm)
flags=${LITMUS_FLAGS:-}
mkdir -p "$root/results/litmus"
# Files in MANIFEST order sorted by thread count (small tests first), so a
# run cut short still covers most of the corpus.
mapfile -t files < <(awk -F'\t' 'NR>1{t=($5=="-")?0:$5; print t "\t" $1}' "$corpus/MANIFEST.tsv" |
  sort -t$'\t' -k1,1n -k2,2 | cut -f2 | sed "s#^#$corpus/#")
for m in "${models[@]}"; do
  out=$root/results/litmus/$m.tsv
  start=$(date +%s)
  # shellcheck disable=SC2086
  $bin "${files[@]}" --memory-model "$m" --time-limit "$limit" --quiet $flags --tsv-out "$out.tmp" \
    > "$root/results/litmus/$m.summary" || true
  # Paths relative to the corpus root, so the files do not depend on the checkout.
  sed "s#^$corpus/##" "$out.tmp" > "$out" && rm -f "$out.tmp"
  echo "wall $(( $(date +%s) - start ))s, time limit ${limit}s per test${flags:+, flags $flags}" >> "$root/results/litmus/$m.summary"
  cat "$root/results/litmus/$m.summary"
done
