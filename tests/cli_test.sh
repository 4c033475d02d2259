#!/usr/bin/env bash
# File: tests/cli_test.sh
# The mmcheck binary's exit codes and outputs for every exit class and for bad
# input (docs/cli.md). Usage: cli_test.sh PATH/TO/mmcheck SOURCE_DIR
set -u
MMCHECK=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

# expect CODE PATTERN -- ARGS...: runs mmcheck ARGS, checks the exit code and
# that stdout+stderr match the extended regex PATTERN.
expect() {
  local code=$1 pattern=$2
  shift 3
  local out rc
  out=$("$MMCHECK" "$@" 2>&1)
  rc=$?
  if [[ $rc -eq $code ]] && grep -Eq -- "$pattern" <<<"$out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: mmcheck $* -> exit $rc (want $code), pattern /$pattern/"
    echo "$out" | head -20 | sed 's/^/    /'
  fi
}

# Listing.
expect 0 'write-protect-seq +v5.11' -- list
expect 0 '"name": "gupfast_fork"' -- list --json
expect 0 'Usage' -- --help

# Verdict classes.
expect 0 'verdict: holds' -- check gupfast_fork --proposal write-protect-seq
expect 10 'verdict: violated pinned_page_never_cowed' -- check gupfast_fork --proposal unsynchronized \
  --trace-out "$TMP/t.json" --json-out "$TMP/run.json"
expect 11 'verdict: unreached target_reached' -- check toy_graph --param target=50
expect 0 'reachable target_reached +n/a' -- check toy_graph
expect 0 'always +never_bad +skipped' -- check toy_graph --param bad=3 --param target=5 --property target_reached
expect 11 'verdict: unreached target_reached' -- check toy_graph --param bad=3 --param target=50 --property target_reached
expect 2 "unknown property 'nope' for spec toy_graph; valid properties: never_bad, target_reached" \
  -- check toy_graph --property nope
expect 12 'verdict: deadlock' -- check toy_graph --param sinks_final=0
expect 13 'verdict: incomplete \(max-states\)' -- check bench_gupfork --max-states 1000
expect 13 'verdict: incomplete \(max-depth\)' -- check bench_gupfork --max-depth 3
expect 13 'verdict: incomplete \(time-limit\)' -- check bench_gupfork --param N=5 --time-limit 0.3
expect 13 'verdict: incomplete \(memory-limit\)' -- check bench_gupfork --param N=5 --memory-limit 40
expect 3 'spec error in toy_graph: trace replay failed' -- check toy_graph --proposal \
  nondeterministic-initial --param bad=3

# The run record and the saved trace.
for key in '"spec": "gupfast_fork"' '"proposal": "unsynchronized"' '"memory_model": "sc"' \
  '"verdict": "violated"' '"property": "pinned_page_never_cowed"' '"exhaustive": false' \
  '"distinct_states": 220' '"transitions": 455' '"depth": 15' '"threads": 1' '"elapsed_s"' \
  '"states_per_s"' '"peak_rss_bytes"' '"action_counts"'; do
  if grep -qF -- "$key" "$TMP/run.json"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: run record lacks $key"; fi
done
if "$MMCHECK" trace show "$TMP/t.json" --format timeline | diff -u \
  "$SRC/results/gupfast_fork/unsynchronized.sc.timeline.txt" - >"$TMP/diff"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: trace show differs from the golden timeline"; cat "$TMP/diff"
fi
expect 0 '^ +1  fork.mmap_write_lock +\[fork CPU1\]' -- trace show "$TMP/t.json"
expect 0 '"format": "mmcheck-trace"' -- trace show "$TMP/t.json" --format json

# Usage errors: exit 2 with a message naming the problem and the choices.
expect 2 "unknown spec 'nope'; valid specs: [a-z_, ]*gupfast_fork, bench_gupfork, toy_graph, toy_por$" -- check nope
expect 2 "unknown proposal 'x' for spec gupfast_fork; valid proposals: unsynchronized, write-protect-seq" \
  -- check gupfast_fork --proposal x
expect 2 "unknown parameter 'cpus' for spec gupfast_fork; valid parameters: gup_cpus \(1..4, default 1\)" \
  -- check gupfast_fork --param cpus=2
expect 2 "bad value '9' for parameter gup_cpus: an integer from 1 to 4" -- check gupfast_fork --param gup_cpus=9
expect 2 "bad value 'two' for parameter gup_cpus" -- check gupfast_fork --param gup_cpus=two
expect 2 "--param takes NAME=VALUE, got 'gup_cpus'" -- check gupfast_fork --param gup_cpus
expect 2 "unknown memory model 'power' for spec gupfast_fork; valid memory models: sc, tso, relaxed, lkmm" \
  -- check gupfast_fork --memory-model power
expect 2 "unknown memory model 'tso' for spec toy_graph; valid memory models: sc" \
  -- check toy_graph --memory-model tso
expect 2 "--threads must be from 1 to 1024, got 0" -- check gupfast_fork --threads 0
expect 2 "spec gupfast_fork declares no symmetry" -- check gupfast_fork --symmetry
expect 0 '1962 distinct states.*' -- check bench_gupfork --param N=2 --symmetry
expect 2 "spec toy_graph declares no footprints \(por_next/por_future\); drop --por" \
  -- check toy_graph --por
# --por on a protocol spec (tests/por_test.cpp compares every property).
expect 0 '2739 distinct states' -- check gupfast_fork --proposal write-protect-seq \
  --param gup_cpus=2 --por
expect 0 'por: [0-9]+ states expanded with one actor.s steps' -- check gupfast_fork \
  --proposal write-protect-seq --param gup_cpus=2 --por
# Partial-order reduction on the toy spec (tests/engine_test.cpp explains 14 of 64).
expect 0 '64 distinct states' -- check toy_por
expect 0 'por: 6 states expanded with one actor.s steps, 0 fell back' -- check toy_por --por
expect 0 '14 distinct states, [0-9]+ transitions, depth 9' -- check toy_por --por
expect 2 "unknown trace format 'svg'" -- check gupfast_fork --trace-format svg
expect 2 "spec is required" -- check
expect 2 "mmcheck: " -- check gupfast_fork --bogus
expect 2 "mmcheck: " -- frobnicate
expect 2 "cannot read $TMP/missing.json" -- trace show "$TMP/missing.json"
printf '{"format": "mmcheck-trace", "version": 1,' >"$TMP/bad.json"
expect 2 "bad.json: not valid JSON" -- trace show "$TMP/bad.json"
expect 2 "run.json: not an mmcheck trace" -- trace show "$TMP/run.json"
expect 2 "cannot write $TMP/nodir/x.json" -- check gupfast_fork --json-out "$TMP/nodir/x.json"

# trace diff: identical, different, bad input.
expect 0 'traces are identical' -- trace diff "$TMP/t.json" "$SRC/results/gupfast_fork/unsynchronized.sc.trace.json"
"$MMCHECK" check bench_gupfork --proposal buggy --param N=2 --trace-out "$TMP/b.json" >/dev/null
G=$SRC/results/gupfast_fork
expect 1 "fields only in $G/E1-mapcount-unshare.sc.trace.json: page\\[X'\\].mapcount, pte.kind" \
  -- trace diff "$G/unsynchronized.sc.trace.json" "$G/E1-mapcount-unshare.sc.trace.json"
expect 1 '^\+      1    gup.read_pte\(cpu=0\)' \
  -- trace diff "$G/unsynchronized.sc.trace.json" "$G/E1-mapcount-unshare.sc.trace.json"
expect 1 '^-    4       gup.set_has_pinned\(cpu=0\)' \
  -- trace diff "$G/unsynchronized.sc.trace.json" "$G/E1-mapcount-unshare.sc.trace.json"
expect 1 '^ +gup\[0\].pte: - \| X ro' \
  -- trace diff "$G/unsynchronized.sc.trace.json" "$G/E1-mapcount-unshare.sc.trace.json"
"$MMCHECK" check bench_gupfork --proposal buggy --param N=3 --trace-out "$TMP/b3.json" >/dev/null
expect 1 'fields only in .*b3.json: gup\[2\].iter, gup\[2\].pc, gup\[2\].snap' \
  -- trace diff "$TMP/b.json" "$TMP/b3.json"
# Symmetry reduction still reports the same (lexicographically smallest) trace.
"$MMCHECK" check bench_gupfork --proposal buggy --param N=2 --symmetry --trace-out "$TMP/bs.json" >/dev/null
expect 0 'traces are identical' -- trace diff "$TMP/b.json" "$TMP/bs.json"
expect 2 "cannot read $TMP/none.json" -- trace diff "$TMP/t.json" "$TMP/none.json"
expect 2 "run.json: not an mmcheck trace" -- trace diff "$TMP/run.json" "$TMP/t.json"

# gate: matching rows, a report, a mismatch, --update writing reproducible files.
expect 0 'gate: 4 rows, 4 match, 0 mismatch' -- gate --spec bench_gupfork --root "$SRC" \
  --report "$TMP/report.md" --threads 2
if grep -q '^| bench_gupfork | seqcount | sc | N=2,K=2,F=2 | holds (3703) | holds | 3703 |$' \
  "$TMP/report.md"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: gate report"; fi
# gate --por: verdicts only, the reduction reported; no --update with it.
expect 0 'por: [0-9]+ rows with a pinned count: [0-9]+ states instead of [0-9]+' \
  -- gate --spec gupfast_fork --root "$SRC" --por
expect 2 'gate --por checks verdicts only and cannot --update' \
  -- gate --spec gupfast_fork --root "$SRC" --por --update
mkdir -p "$TMP/root/properties"
cat >"$TMP/root/properties/t.expect" <<'EOT'
spec toy_graph
# size  proposal       model  params       verdict             distinct  trace
small   deterministic  sc     n=10         holds               11        -
small   deterministic  sc     n=10,bad=3   violates:never_bad  4         results/toy/bad3.trace.json
EOT
expect 20 'mismatch: toy_graph:3 \(toy_graph deterministic sc n=10\): expected 11 distinct states, got 10' \
  -- gate --root "$TMP/root"
expect 20 'cannot read golden trace results/toy/bad3.trace.json' -- gate --root "$TMP/root"
expect 20 'gate: 2 rows, 1 match, 1 mismatch' -- gate --root "$TMP/root" --update
cp "$TMP/root/results/verdicts.json" "$TMP/verdicts1.json"
"$MMCHECK" gate --root "$TMP/root" --update --threads 2 >/dev/null
if cmp -s "$TMP/verdicts1.json" "$TMP/root/results/verdicts.json" && \
  grep -q '"match": false' "$TMP/verdicts1.json" && \
  "$MMCHECK" trace show "$TMP/root/results/toy/bad3.trace.json" | grep -q 'never_bad violated after 3 steps'
then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: gate --update"; fi
expect 2 "no expectation table matches --spec 'nothing'" -- gate --spec nothing --root "$SRC"
expect 2 "no properties/ directory under $TMP" -- gate --root "$TMP"
printf 'spec x\nsmall a sc - holds\n' >"$TMP/root/properties/bad.expect"
expect 2 'bad.expect:2: expected 7 columns' -- gate --root "$TMP/root"

# The fingerprint store: same counts, the verdict says so, certain violations.
expect 0 'verdict: holds \(fingerprint, p_miss <= [0-9.e+-]+\)' -- check gupfast_fork \
  --proposal write-protect-seq --store fingerprint
expect 10 'verdict: violated pinned_page_never_cowed$' -- check gupfast_fork \
  --proposal unsynchronized --store fingerprint --trace-out "$TMP/tfp.json"
expect 0 'traces are identical' -- trace diff "$TMP/t.json" "$TMP/tfp.json"
expect 0 '3703 distinct states' -- check bench_gupfork --param N=2 --store fingerprint
expect 2 "unknown store 'disk'; valid stores: exact, fingerprint" -- check toy_graph --store disk
# Ctrl-C: the search stops cleanly and says it is incomplete.
"$MMCHECK" check bench_gupfork --param N=5 --threads 2 >"$TMP/int.out" 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
if [[ $rc -eq 13 ]] && grep -q 'verdict: incomplete (interrupted)' "$TMP/int.out"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: SIGINT gave exit $rc"; cat "$TMP/int.out"
fi

# The barrier-level litmus sketches of protocols.md §L (properties/litmus/):
# every model's verdict per sketch is pinned in sketches.tsv.
col=3
for model in sc tso relaxed lkmm; do
  "$MMCHECK" litmus --memory-model "$model" --quiet --tsv-out "$TMP/sk.tsv" \
    "$SRC/properties/litmus" >/dev/null 2>&1
  got=$(tail -n +2 "$TMP/sk.tsv" | awk -F'\t' '{n = split($1, p, "/"); print p[n] "\t" $3}' | sort)
  want=$(tail -n +2 "$SRC/properties/litmus/sketches.tsv" | cut -f1,$col | sort)
  if [[ -n "$want" && "$got" == "$want" ]]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL: litmus sketches under $model"; diff <(echo "$want") <(echo "$got")
  fi
  # The same verdicts with partial-order reduction.
  "$MMCHECK" litmus --memory-model "$model" --quiet --por --tsv-out "$TMP/skp.tsv" \
    "$SRC/properties/litmus" >/dev/null 2>&1
  if [[ "$(cut -f1-4 "$TMP/sk.tsv")" == "$(cut -f1-4 "$TMP/skp.tsv")" ]]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL: litmus sketches under $model --por"
    diff <(cut -f1-4 "$TMP/sk.tsv") <(cut -f1-4 "$TMP/skp.tsv")
  fi
  col=$((col + 1))
done

echo "cli: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
