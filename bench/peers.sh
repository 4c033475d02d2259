#!/usr/bin/env bash
# bench/peers.sh - side-by-side benchmark of the shared gupfork model on mmcheck, Rumur and SPIN.
#
# Usage: bench/peers.sh [--n "2 3 4 5"] [--k 2] [--f 2] [--threads 2]
#                       [--tools "mmcheck rumur spin"] [--symmetry] [--out FILE]
# Prints one markdown table on stdout (progress goes to stderr); --out also writes it to FILE.
# Everything generated (Murphi/Promela copies, C verifiers, logs) lives in a mktemp dir that is
# removed at exit; nothing is written into the repository except the optional --out file.
# Env overrides: MMCHECK (binary, default <repo>/build/mmcheck), GUPFORK_DIR (model dir),
# IDLE_WAIT (max seconds to wait for an idle machine before each run, default 60).
set -euo pipefail

NS="2 3 4 5"; K=2; F=2; THREADS=2; TOOLS="mmcheck rumur spin"; SYM=0; OUT=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --n) NS=$2; shift 2 ;;
    --k) K=$2; shift 2 ;;
    --f) F=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --tools) TOOLS=$2; shift 2 ;;
    --symmetry) SYM=1; shift ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "peers.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODELS=${GUPFORK_DIR:-/work/shared/bench}
MMCHECK=${MMCHECK:-$REPO/build/mmcheck}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/peers.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
log() { echo "peers.sh: $*" >&2; }

# ---- dependencies: a fresh Debian machine has neither rumur nor spin nor GNU time -------------
need=()
[[ " $TOOLS " == *" rumur "* ]] && ! command -v rumur >/dev/null && need+=(rumur)
[[ " $TOOLS " == *" spin "* ]] && ! command -v spin >/dev/null && need+=(spin)
[[ -x /usr/bin/time ]] || need+=(time)
command -v cc >/dev/null || need+=(gcc)
command -v jq >/dev/null || need+=(jq)          # to read mmcheck's JSON record
if [[ ${#need[@]} -gt 0 ]]; then
  log "installing missing packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${need[@]}" >&2 || { apt-get update -q >&2 && apt-get install -y -q "${need[@]}" >&2; } \
    || log "apt-get failed; tools whose binary is missing will be skipped"
fi
[[ -x /usr/bin/time ]] || { log "GNU time (/usr/bin/time) is required"; exit 1; }

# ---- expected distinct-state counts (only known for K=2 F=2 BUGGY=0) -------------------------
expected() {  # $1 = N; prints the count or "?"
  local e=""
  if [[ $K == 2 && $F == 2 ]]; then
    if [[ $SYM == 1 ]]; then e=$(echo "2:1962 3:12514 4:64599 5:286412 6:1129248" | tr ' ' '\n' | sed -n "s/^$1://p")
    else e=$(echo "2:3703 3:63533 4:1127119 5:20684141" | tr ' ' '\n' | sed -n "s/^$1://p"); fi
  fi
  echo "${e:-?}"
}

# ---- idle wait and noise accounting ------------------------------------------------------------
HZ=$(getconf CLK_TCK)
busy_jiffies() { local u n s i w q sq st; read -r _ u n s i w q sq st _ < /proc/stat; echo $((u + n + s + q + sq)) "$st"; }
IDLE_WAIT=${IDLE_WAIT:-60}
wait_idle() {  # best effort: wait up to $IDLE_WAIT s until the machine's busy CPU < 10 % of one core
  local b0 b1 _ i
  for ((i = 0; i < IDLE_WAIT; i++)); do
    read -r b0 _ < <(busy_jiffies); sleep 1; read -r b1 _ < <(busy_jiffies)
    (( (b1 - b0) * 100 < HZ * 10 )) && return 0
  done
  log "machine still busy after $IDLE_WAIT s; measuring anyway (see 'other CPU' column)"
}

# run_timed NAME CMD... : runs CMD under GNU time in $WORK, stdout -> $WORK/NAME.out.
# Sets WALL (s), RSS_KB, OTHER (CPU time of *other* processes, % of wall and s), NOISY (0/1).
run_timed() {
  local name=$1; shift
  wait_idle
  local b0 s0 b1 s1 t0 t1 own
  read -r b0 s0 < <(busy_jiffies); t0=$(date +%s%N)
  /usr/bin/time -v -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || true
  t1=$(date +%s%N); read -r b1 s1 < <(busy_jiffies)
  WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b-a)/1e9}')
  RSS_KB=$(awk -F': ' '/Maximum resident/{print $2}' "$WORK/$name.time")
  own=$(awk -F': ' '/User time|System time/{s+=$2} END{print s+0}' "$WORK/$name.time")
  OTHER=$(awk -v b=$((b1 - b0)) -v st=$((s1 - s0)) -v hz="$HZ" -v own="$own" -v w="$WALL" \
    'BEGIN{os=b/hz-own; if(os<0)os=0; s=st/hz/w*100;
           printf "%.0f%% (%.2f s)%s", os/w*100, os, (s>=1?sprintf(" steal %.0f%%",s):"")}')
  # jiffies are 10 ms: a run shorter than ~1 s cannot be judged, so flag only > 3 % and > 0.05 s.
  NOISY=$(awk -v b=$((b1 - b0)) -v hz="$HZ" -v own="$own" -v w="$WALL" 'BEGIN{os=b/hz-own; print (os>0.05 && os>0.03*w)?1:0}')
}

ROWS=()
add_row() {  # tool config n states transitions note
  local tool=$1 cfg=$2 n=$3 st=$4 tr=$5 note=$6 exp ok
  exp=$(expected "$n")
  [[ $NOISY == 1 ]] && note="${note:+$note; }NOISY: other processes used CPU"
  if [[ -z $st ]]; then ok="**FAILED** ($note)"
  elif [[ $exp == "?" ]]; then ok="? (no reference)${note:+; $note}"
  elif [[ $st == "$exp" ]]; then ok="yes${note:+; $note}"
  else ok="**MISMATCH: expected $exp**${note:+; $note}"; log "STATE COUNT MISMATCH: $tool N=$n got $st expected $exp"; fi
  ROWS+=("$(awk -v t="$tool" -v c="$cfg" -v n="$n" -v s="${st:-0}" -v tr="${tr:--}" -v w="$WALL" \
    -v r="$RSS_KB" -v o="$OTHER" -v ok="$ok" 'BEGIN{
      printf "| %s | %s | %s | %d | %s | %.2f | %.0f | %.1f | %.1f | %s | %s |", t, c, n, s, tr, w,
        (w>0 ? s/w : 0), r/1024, (s>0 ? r*1024/s : 0), o, ok}')")
  log "$tool N=$n: states=${st:-?} wall=${WALL}s rss=$((RSS_KB / 1024))MiB other=$OTHER ok=$ok"
}

# ---- Rumur ------------------------------------------------------------------------------------
# --deadlock-detection off: gupfork ends in terminal states (all CPUs out of attempts, F forks
#   done) where no rule is enabled; Rumur's default ("stuttering") reports that as an error and
#   stops after ~850 states at N=2.
# --output-format machine-readable: a one-line XML summary with exact states/rules_fired counts.
# Compile flags: the README's `cc -std=c11 -O3 model.c -lpthread`, plus -mcx16 which GCC on
#   x86-64 needs (the generated code uses a 128-bit CAS; without it linking fails on
#   __sync_val_compare_and_swap_16), plus -march=native -fwhole-program that the generated
#   file itself suggests for GCC.
RUMUR_CFLAGS="-std=c11 -O3 -march=native -fwhole-program -mcx16"
run_rumur() {
  local n=$1 symopt=off d="$WORK/rumur$1"
  [[ $SYM == 1 ]] && symopt=exhaustive
  mkdir -p "$d"
  sed -E -e "s/^(\s*N:\s*)[0-9]+;/\1$n;/" -e "s/^(\s*K:\s*)[0-9]+;/\1$K;/" \
         -e "s/^(\s*F:\s*)[0-9]+;/\1$F;/" -e "s/^(\s*BUGGY:\s*)[0-9]+;/\10;/" "$MODELS/gupfork.m" > "$d/g.m"
  rumur --quiet --threads "$THREADS" --symmetry-reduction "$symopt" --deadlock-detection off \
        --output-format machine-readable --output "$d/g.c" "$d/g.m"
  cc $RUMUR_CFLAGS -o "$d/verifier" "$d/g.c" -lpthread
  run_timed "rumur$n" "$d/verifier"
  local sum st tr err
  sum=$(grep -o '<summary [^>]*>' "$WORK/rumur$n.out" || true)
  st=$(sed -n 's/.* states="\([0-9]*\)".*/\1/p' <<< "$sum")
  tr=$(sed -n 's/.* rules_fired="\([0-9]*\)".*/\1/p' <<< "$sum")
  err=$(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<< "$sum")
  add_row rumur "--threads $THREADS --symmetry-reduction $symopt --deadlock-detection off; cc $RUMUR_CFLAGS" \
    "$n" "$st" "$tr" "$([[ ${err:-1} == 0 ]] || echo "errors=${err:-?}")"
}

# ---- SPIN -------------------------------------------------------------------------------------
# Exhaustive search only (no BITSTATE / HC). The flags below won the sweep at N=5 (see the
# comment at the end of this file): -DSAFETY drops the cycle-check machinery, -DNOFAIR and
# -DNOBOUNDCHECK remove dead code, -DNOCOMP stores state vectors uncompressed (~15 % faster, ~60 %
# more memory). Single core: -DNCORE=2 was not reliably faster. -w gives the chained hash table
# >= 1 slot per expected state (a bigger table did not help), and -m is far above the model's real
# depth (62 at N=5), so the search is never truncated.
SPIN_CFLAGS="-O3 -DSAFETY -DNOFAIR -DNOBOUNDCHECK -DNOCOMP"
run_spin() {
  local n=$1 d="$WORK/spin$1" exp w=26 memlim
  mkdir -p "$d"; cp "$MODELS/gupfork.pml" "$d/"
  exp=$(expected "$n")
  if [[ $exp != "?" ]]; then w=18; while (( (1 << w) < exp )); do w=$((w + 1)); done; fi
  memlim=$(awk '/MemTotal/{printf "%d", $2/1024*0.8}' /proc/meminfo)   # MiB; pan stops cleanly above it
  (cd "$d" && spin -a -DN="$n" -DK="$K" -DF="$F" -DBUGGY=0 gupfork.pml > /dev/null)
  (cd "$d" && cc $SPIN_CFLAGS -DMEMLIM="$memlim" -w -o pan pan.c)
  run_timed "spin$n" "$d/pan" -m100000 -w$w
  local o="$WORK/spin$n.out" st tr note=""
  st=$(awk '/states, stored/{print $1; exit}' "$o")
  # pan prints transitions rounded (1.119405e+08); stored + matched is the exact same number.
  # (It counts the initial state too, so it is Rumur's rules_fired + 1.)
  tr=$(awk '/states, stored/{s=$1} /states, matched/{m=$1} END{if (s != "") printf "%d", s + m}' "$o")
  grep -q 'errors: 0' "$o" || note="pan reported errors"
  grep -qiE 'max search depth too small|out of memory|truncated' "$o" && note="${note:+$note; }search truncated"
  add_row spin "spin -a; cc $SPIN_CFLAGS -DMEMLIM=$memlim; pan -m100000 -w$w" "$n" "$st" "$tr" "$note"
}

# ---- mmcheck ----------------------------------------------------------------------------------
jget() {  # jget FILE KEY: value of KEY in the (last) record that has distinct_states, any nesting
  if command -v jq >/dev/null; then
    jq -rs --arg k "$2" '[.[] | .. | objects | select(has("distinct_states"))] | last | .[$k] // empty' "$1"
  else
    python3 - "$1" "$2" <<'PY'
import json, sys
txt = open(sys.argv[1]).read(); dec = json.JSONDecoder(); recs = []; i = 0
while i < len(txt):
    if txt[i].isspace(): i += 1; continue
    obj, i = dec.raw_decode(txt, i); recs.append(obj)
def walk(o):
    if isinstance(o, dict):
        if "distinct_states" in o: yield o
        for v in o.values(): yield from walk(v)
    elif isinstance(o, list):
        for v in o: yield from walk(v)
found = [r for o in recs for r in walk(o)]
v = found[-1].get(sys.argv[2]) if found else None
print("" if v is None else v)
PY
  fi
}
run_mmcheck() {
  local n=$1 j="$WORK/mm$1.json" extra=()
  [[ $SYM == 1 ]] && extra+=(--symmetry)
  run_timed "mm$n" "$MMCHECK" check bench_gupfork --param N="$n" --param K="$K" --param F="$F" \
    --threads "$THREADS" --json-out "$j" "${extra[@]}"
  local st="" tr="" v="" note=""
  if [[ -s $j ]]; then
    st=$(jget "$j" distinct_states); tr=$(jget "$j" transitions); v=$(jget "$j" verdict)
    note="verdict=$v, self-reported $(jget "$j" elapsed_s) s"
  else note="no JSON record: $(tail -n 1 "$WORK/mm$n.err" 2>/dev/null)"; fi
  add_row mmcheck "--threads $THREADS${extra[*]:+ ${extra[*]}}" "$n" "$st" "$tr" "$note"
}

# ---- main ---------------------------------------------------------------------------------------
for tool in $TOOLS; do
  case $tool in
    mmcheck) [[ -x $MMCHECK ]] || { log "skipping mmcheck: $MMCHECK not found (build it first)"; continue; } ;;
    rumur) command -v rumur >/dev/null && command -v cc >/dev/null || { log "skipping rumur: rumur/cc missing"; continue; } ;;
    spin) command -v spin >/dev/null && command -v cc >/dev/null || { log "skipping spin: spin/cc missing"; continue; }
          [[ $SYM == 1 ]] && { log "skipping spin: it has no scalarset symmetry reduction"; continue; } ;;
    *) log "unknown tool '$tool' (mmcheck|rumur|spin)"; continue ;;
  esac
  for n in $NS; do log "running $tool N=$n K=$K F=$F threads=$THREADS symmetry=$SYM"; "run_$tool" "$n"; done
done

{
  echo "gupfork K=$K F=$F BUGGY=0, symmetry $([[ $SYM == 1 ]] && echo "on (Rumur exhaustive)" || echo off)," \
       "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo);" \
       "$(rumur --version 2>/dev/null | head -1 || true); $(spin -V 2>/dev/null | head -1 || true); $(cc --version | head -1)"
  echo
  echo "| tool | config/flags | N | states | transitions | seconds | states/s | peak RSS MiB | bytes/state | other CPU | ok |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "seconds and peak RSS: GNU time around the checker run only (Rumur/SPIN: generation and C compile excluded)."
  echo "bytes/state = peak RSS / states. other CPU = CPU time of other processes during the run, % of wall (>3 % = noisy)."
} | tee ${OUT:+"$OUT"}

# SPIN 6.5.2 flag sweep, N=5 K=2 F=2 (20,684,141 states, 111,940,500 transitions, depth 62, errors 0
# in every run), pan -m100000, 2026-11-21 on this 2-core VM. Other jobs (builds, tests) shared the
# machine during part of the sweep, so read each figure as +-25 %; "busy" = a run with others on CPU.
#   cc -O2 -DSAFETY, -w24 (default)                          53.6 s  386 K/s  1.43 GB RSS
#   cc -O2 -DSAFETY, -w25                                    55.6 s  372 K/s  1.56 GB
#   cc -O3 -DSAFETY -DNOFAIR -DNOBOUNDCHECK, -w25            47.4 / 48.3 s  ~436 K/s  1.56 GB
#     same, -w27                                             47.4 s  436 K/s  2.35 GB
#     + -DNOREDUCE (POR off; POR prunes nothing here)        48.2 s  429 K/s  1.40 GB
#     + -DCOLLAPSE                                          107.6 s  192 K/s  2.37 GB
#     + -DNOCOMP                                  -> chosen  40.7 s  508 K/s  2.53 GB (42.9 s busy)
#     + -DNCORE=2 (2 processes, shared memory)               41.1 / 64.4 / 70.4 s  (167 s busy)
#                                                            1.69 GB = one process's RSS only
#     + -DNCORE=2 -DNOREDUCE                                 44.1 s  469 K/s  1.69 GB
#     + -DBFS_PAR -DNCORE=2                                  45.0 s  460 K/s  1.18 GB (per process)
# -DNCORE=2 matched -DNOCOMP once but was 1.5x slower in two other runs, so the single-core
# -DNOCOMP build is SPIN's best reproducible exhaustive configuration on this machine.
