#!/usr/bin/env bash
# Times two whole commands in turn (A B A B ...) with GNU time and prints, for each, min, median and max of user, sys,
# cpu and wall seconds and peak MiB, then the ratio A/B taken run by run (pairing keeps it meaningful when the
# machine's speed drifts), and each command's exit status. Output of the commands is thrown away. Not a test: it
# measures and never judges.
# Wall seconds include starting GNU time and timeout themselves (a few ms on both sides, so ratios lean to 1).
# Usage: bench/pair.sh [-n RUNS] [--timeout SECONDS] --vs 'COMMAND_B' -- COMMAND_A [ARG ...]
# The bench scripts call "${BENCH_PAIR:-bench/pair.sh}": any timer with this interface and these rows can stand in.
set -euo pipefail

runs=5
limit=3600
baseline=
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    --timeout) limit=$2; shift 2 ;;
    --vs) baseline=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "pair.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n "$baseline" && $# -gt 0 ]] || { echo "usage: pair.sh [-n RUNS] [--timeout S] --vs 'B' -- A [ARG ...]" >&2; exit 2; }
read -r -a command_b <<<"$baseline"
command_a=("$@")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deadline=$((SECONDS + limit))
one() { # label, command... -> appends "wall user sys peakKiB" to $work/label (wall from bash's microsecond clock)
  local label=$1 start end; shift
  local status=0
  start=$EPOCHREALTIME
  /usr/bin/time -f '%U %S %M' -o "$work/last" timeout "$((deadline - SECONDS > 1 ? deadline - SECONDS : 1))" "$@" </dev/null >/dev/null 2>&1 \
    || status=$?
  end=$EPOCHREALTIME
  echo "$status" >>"$work/$label.exit"
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", b - a}') $(tail -n 1 "$work/last")" >>"$work/$label"
}

one warm-a "${command_a[@]}"
one warm-b "${command_b[@]}"
for _ in $(seq "$runs"); do
  [[ $SECONDS -lt $deadline ]] || break
  one A "${command_a[@]}"
  one B "${command_b[@]}"
done

paste -d' ' "$work/A" "$work/B" | awk '
  function sortn(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t } }
  function row(name, a, n,   m) { sortn(a, n); m = (n % 2) ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2; printf "%-14s %11.4g %11.4g %11.4g\n", name, a[1], m, a[n] }
  { n++; aw[n]=$1; au[n]=$2; as[n]=$3; ac[n]=$2+$3; am[n]=$4/1024; bw[n]=$5; bu[n]=$6; bs[n]=$7; bc[n]=$6+$7; bm[n]=$8/1024
    ru[n] = $6 > 0 ? $2/$6 : 0; rc[n] = ($6+$7) > 0 ? ($2+$3)/($6+$7) : 0; rw[n] = $5 > 0 ? $1/$5 : 0 }
  END {
    printf "%-14s %11s %11s %11s   n: A %d, B %d; whole process\n", "", "min", "median", "max", n, n
    row("A user s", au, n); row("A sys s", as, n); row("A cpu s", ac, n); row("A wall s", aw, n); row("A peak MiB", am, n)
    row("B user s", bu, n); row("B sys s", bs, n); row("B cpu s", bc, n); row("B wall s", bw, n); row("B peak MiB", bm, n)
    row("A/B user", ru, n); row("A/B cpu", rc, n); row("A/B wall", rw, n)
  }'
for label in A B; do # "A exit 0 (5 of 5)", or the first non-zero status and how many runs ended with one
  awk -v label="$label" '{n++} $1 != 0 {bad++; if (!first) first = $1} END {printf "%s exit %s (%d of %d)\n", label, bad ? first : 0, bad ? bad : n, n}' "$work/$label.exit"
done
