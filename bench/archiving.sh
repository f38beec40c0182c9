#!/usr/bin/env bash
# WAL archiving under a write load at full speed (not a test): ours synchronous, ours asynchronous (with one push
# process, our default, and with two), and barman-cloud-wal-archive (CloudNativePG's engine) as archive_command, all into the same
# S3 server (s3rver over TLS) from one database container of the stand-in. For each: pgbench's TPS and time, the WAL
# it wrote, the segments still waiting at the end, the time until none waits, and the segments archived a second.
# The variants alternate round by round; the table quotes medians. Where the CPU went: process accounting (acct) for
# the processes that ended during a run, /proc for the S3 server. Written to bench/results-archiving.md.
# Then the entrypoint's own CPU and memory while it supervises the server under load (BENCH_SUPERVISE_SECONDS, 300).
# Usage: bench/archiving.sh [rounds, default 3] [transactions per client, default 150]. Needs root (the stand-in).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/as-root.sh
source scripts/as-root.sh
scripts/setup.sh --test-servers >/dev/null
for package in barman-cli-cloud acct; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null
done

rounds=${1:-3}
transactions=${2:-150}
supervise=${BENCH_SUPERVISE_SECONDS:-300}
# shellcheck source=bench/hold.sh
source bench/hold.sh
hold_database 1
pgdata=/pgdata/backrest
psql() { "$hold/exec.sh" psql -XAtq -c "$1" postgres; }

# Only the S3 repository, as barman-cloud has: the container's own configuration without repo1.
"$hold/exec.sh" sh -c 'grep -v "^repo1-" /etc/pgbackrest/pgbackrest.conf > /tmp/s3-only.conf && chmod 600 /tmp/s3-only.conf'
ours="pgbackrest --config=/tmp/s3-only.conf --stanza=db"
barman_env="env AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_CA_BUNDLE=/etc/pgbackrest/test-ca.pem AWS_DEFAULT_REGION=us-east-1"
barman="$barman_env barman-cloud-wal-archive --endpoint-url https://s3.test:9443"
declare -A commands=(
  [ours-sync]="$ours --no-archive-async archive-push \"%p\""
  [ours-async-2]="$ours --process-max=2 archive-push \"%p\""
  [ours-async-1]="$ours --process-max=1 archive-push \"%p\""
  [barman]="$barman s3://backrest/barman pg \"%p\""
  [barman-gzip]="$barman --gzip s3://backrest/barman pg \"%p\""
)
variants=(ours-sync ours-async-2 ours-async-1 barman barman-gzip)
describe() {
  case "$1" in
    ours-sync) echo "ours, synchronous (archive-async=n)" ;;
    ours-async-2) echo "ours, asynchronous with process-max 2" ;;
    ours-async-1) echo "ours, asynchronous with process-max 1 (our default)" ;;
    barman) echo "barman-cloud-wal-archive, uncompressed" ;;
    barman-gzip) echo "barman-cloud-wal-archive --gzip" ;;
  esac
}

"$hold/exec.sh" sh -c 'cat > /tmp/wal-load.sql' <<<"insert into wal_load select g, repeat('x', 200) from generate_series(1, 5000) g;"
psql "create table if not exists wal_load (id int, filler text)"
waiting() { "$hold/exec.sh" sh -c "ls $pgdata/pg_wal/archive_status | grep -c '\.ready\$' || true"; }
drain() { # -> seconds until nothing waits (at most 300)
  local start; start=$(date +%s.%N)
  for _ in $(seq 1500); do [[ $(waiting) -eq 0 ]] && break; sleep 0.2; done
  awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}'
}

store=$(pgrep -f -n 's3rver-with-listing-fix.js')
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; } # pid -> CPU seconds
cpu_by_command() { # accounting file -> "archiver_s postgres_s": pgbackrest or barman's python, and PostgreSQL's
  dump-acct "$1" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $1); c = $3 + $4}
    $1 == "pgbackrest" || $1 ~ /^barman/ || $1 ~ /^python/ {a += c} $1 == "postgres" {p += c}
    END {printf "%.1f %.1f", a / 100, p / 100}'
}

declare -A samples
run() { # variant -> appends "tps load_s wal_MB waiting drain_s segments_per_s archiver_cpu postgres_cpu store_cpu"
  local variant=$1
  psql "alter system set archive_command = '${commands[$variant]//\'/\'\'}'" && psql "select pg_reload_conf()" >/dev/null
  psql "truncate wal_load"; psql "checkpoint"; drain >/dev/null
  local before after start load tps left drained
  before=$(psql "select pg_current_wal_lsn()")
  : >"$hold/acct"; accton "$hold/acct" >/dev/null
  local store_before; store_before=$(cpu_of "$store")
  start=$(date +%s.%N)
  tps=$("$hold/exec.sh" pgbench -n -c 4 -j 2 -t "$transactions" -f /tmp/wal-load.sql postgres 2>/dev/null \
    | awk '/^tps = / {printf "%.1f", $3}')
  load=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
  after=$(psql "select pg_current_wal_lsn()")
  left=$(waiting)
  drained=$(drain)
  accton off >/dev/null
  local cpu store_used; cpu=$(cpu_by_command "$hold/acct")
  store_used=$(awk -v a="$store_before" -v b="$(cpu_of "$store")" 'BEGIN {printf "%.1f", b - a}')
  local mb; mb=$(psql "select round(pg_wal_lsn_diff('$after', '$before') / 1048576)")
  samples[$variant]+="$tps $load $mb $left $drained $(awk -v mb="$mb" -v l="$load" -v d="$drained" 'BEGIN {printf "%.1f", mb / 16 / (l + d)}') $cpu $store_used"$'\n'
  echo "bench: $variant: $tps tps, load $load s, $mb MB of WAL, $left waiting at the end, drained in $drained s; CPU s: archiver $cpu (and PostgreSQL), store $store_used"
}

for round in $(seq "$rounds"); do
  echo "bench: round $round of $rounds"
  for variant in "${variants[@]}"; do run "$variant"; done
done
psql "alter system reset archive_command" && psql "select pg_reload_conf()" >/dev/null

# The entrypoint (PID 1) itself while it supervises the server under a steady load with its own archiving (both
# repositories, asynchronous): its CPU seconds and memory from /proc, sampled every 10 s.
entrypoint=$(grep -o 'nsenter -t [0-9]*' "$hold/exec.sh" | awk '{print $3}')
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$entrypoint/status"; }
"$hold/exec.sh" pgbench -i -q -s 10 postgres >/dev/null 2>&1
echo "bench: the entrypoint under pgbench -c 2 -T $supervise for $supervise s"
cpu_before=$(cpu_of "$entrypoint"); rss_min=$(rss_kib); rss_max=$rss_min
"$hold/exec.sh" pgbench -n -c 2 -j 1 -T "$supervise" postgres >"$hold/supervise.log" 2>&1 &
load=$!
while kill -0 "$load" 2>/dev/null; do
  rss=$(rss_kib); ((rss > rss_max)) && rss_max=$rss; ((rss < rss_min)) && rss_min=$rss
  sleep 10
done
wait "$load" || true
cpu_used=$(awk -v a="$cpu_before" -v b="$(cpu_of "$entrypoint")" 'BEGIN {printf "%.2f", b - a}')
hwm=$(awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$entrypoint/status")
supervise_tps=$(awk '/^tps = / {printf "%.0f", $3}' "$hold/supervise.log")
segments=$(psql "select archived_count from pg_stat_archiver")

median() { # column -> median of that column of stdin
  awk NF | sort -n -k"$1" | awk -v c="$1" '{v[NR]=$c} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'
}
row() { # variant
  local s=${samples[$1]}
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(describe "$1")" \
    "$(median 1 <<<"$s")" "$(median 2 <<<"$s")" "$(median 3 <<<"$s")" "$(median 4 <<<"$s")" "$(median 5 <<<"$s")" \
    "$(median 6 <<<"$s")" "$(median 7 <<<"$s")" "$(median 8 <<<"$s")" "$(median 9 <<<"$s")"
}

cat > bench/results-archiving.md <<MD
# WAL archiving under a write load, side by side with barman-cloud

\`bench/archiving.sh $rounds $transactions\` on $(date -u +%Y-%m-%d), $(nproc) CPUs, pgBackRest 2.45, barman-cloud
$("$hold/exec.sh" barman-cloud-wal-archive --version 2>&1 | awk '{print $NF}'), PostgreSQL 15. One database container of the stand-in; every
variant archives into the same s3rver over TLS on this machine (its speed, not a cloud's). The load: \`pgbench -n -c 4
-j 2 -t $transactions\` with a script inserting 5000 rows of 200 bytes a transaction, after a truncate and a checkpoint
with nothing waiting. The variants alternate, $rounds rounds; medians.

| archive_command | pgbench TPS | Load seconds | WAL written (MB) | Segments waiting at the end | Seconds to drain | Segments archived a second | Archiver CPU s | PostgreSQL CPU s | S3 server CPU s |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$(for variant in "${variants[@]}"; do row "$variant"; done)

Segments archived a second is the WAL written (in 16 MB segments) over the load and the drain together. The CPU
columns cover the load and the drain: the archiver's is every pgbackrest (or barman-cloud) process that ended in
that time, PostgreSQL's every postgres process that ended (pgbench's backends), the S3 server's its own counters.
barman-cloud-wal-archive pushes one segment per call (CloudNativePG runs several calls side by side with its own
\`maxParallel\`; as an archive_command PostgreSQL calls it one segment at a time).

## The entrypoint while it supervises a loaded server

\`pgbench -n -c 2 -j 1 -T $supervise\` (TPC-B, scale 10) against the container with its own configuration (both
repositories, asynchronous archiving); PID 1's counters from /proc, RSS sampled every 10 s.

| Measurement | Value |
|---|---:|
| pgbench TPS | $supervise_tps |
| PID 1's CPU over the $supervise s | $cpu_used s ($(awk -v c="$cpu_used" -v t="$supervise" 'BEGIN {printf "%.2f", 100 * c / t}') % of one CPU) |
| PID 1's RSS (min – max of the samples) | $(awk -v a="$rss_min" -v b="$rss_max" 'BEGIN {printf "%.1f – %.1f MiB", a / 1024, b / 1024}') |
| PID 1's peak RSS since it started (VmHWM) | $hwm MiB |
| segments archived since the container started | $segments |
MD
bench/summary.sh
cat bench/results-archiving.md
