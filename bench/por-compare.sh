#!/usr/bin/env bash
# File: bench/por-compare.sh
# Partial-order reduction on a sample of the litmus corpus: runs every test
# with and without --por under each model, checks that the verdicts are equal
# test by test, and prints the state counts and the reduction factor
# (docs/performance.md, "Partial-order reduction").
#
# Usage: bench/por-compare.sh [BINARY] [EVERY] [TIME_LIMIT_S] [MODELS...]
#   BINARY  default build/mmcheck
#   EVERY   take every EVERY-th file (default 5) of those that finished under
#           0.5 s with a verdict in results/litmus/relaxed.tsv
#   TIME_LIMIT_S per test, default 3
#   MODELS  default: sc tso relaxed
# Exit 1 if any verdict differs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/mmcheck}
every=${2:-5}
limit=${3:-3}
shift $(( $# > 3 ? 3 : $# )) || true
models=("$@")
[ ${#models[@]} -eq 0 ] && models=(sc tso relaxed)
corpus=$root/../shared/litmus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/sample"
awk -F'\t' 'NR>1 && ($3=="Never"||$3=="Sometimes"||$3=="Always") && $6<0.5 {print $1}' \
  "$root/results/litmus/relaxed.tsv" | awk -v e="$every" 'NR%e==0' |
  while read -r f; do ln -s "$corpus/$f" "$tmp/sample/$(echo "$f" | tr / _)"; done
echo "sample: $(ls "$tmp/sample" | wc -l) files (every ${every}th), time limit ${limit}s"
echo "| model | files | verdict differences | timeouts | states without | states with --por | factor |"
echo "|---|---:|---:|---:|---:|---:|---:|"
bad=0
for m in "${models[@]}"; do
  "$bin" litmus "$tmp/sample" --memory-model "$m" --time-limit "$limit" --quiet \
    --tsv-out "$tmp/$m.tsv" >/dev/null 2>&1 || true
  "$bin" litmus "$tmp/sample" --memory-model "$m" --time-limit "$limit" --quiet --por \
    --tsv-out "$tmp/$m-por.tsv" >/dev/null 2>&1 || true
  line=$(paste <(tail -n +2 "$tmp/$m.tsv" | sort | cut -f1,3,5) \
               <(tail -n +2 "$tmp/$m-por.tsv" | sort | cut -f1,3,5) | awk -F'\t' -v m="$m" '
    $1 != $4 { bad++ }
    $2 != $5 { diff++; print "verdict differs: " $1 " " $2 " vs " $5 > "/dev/stderr" }
    $2 == "timeout" || $5 == "timeout" { to++; next }
    { n++; a += $3; b += $6 }
    END { printf "| %s | %d | %d | %d | %d | %d | %.2fx |\n", m, n + to, diff + bad, to, a, b, (b ? a / b : 0) }')
  echo "$line"
  [[ $(cut -d'|' -f4 <<<"$line" | tr -d ' ') == 0 ]] || bad=1
done
exit $bad
