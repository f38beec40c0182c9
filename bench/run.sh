#!/usr/bin/env bash
# Benchmarks (not tests): one run, one machine, written to bench/results.md.
#   0. the entrypoint itself (bench/BackrestContainer.Bench, in the container stand-in): `config` time and memory,
#      first boot (median of 5, and where one boot's time goes) and start-up against the same steps by hand, memory
#      while supervising, backup with and without progress parsing, full and delta restore
#   1. full backup of a pgbench cluster: backrest-container's defaults (zst, process-max 2) vs pgBackRest's
#      defaults (gz, process-max 1) vs lz4 vs `cp -a` of PGDATA
#   2. archive lag (segments still .ready in pg_wal/archive_status) at the end of a pgbench write load, with
#      synchronous and with asynchronous archive-push
# Usage: bench/run.sh [pgbench scale, default 50]. Needs root (runs PostgreSQL as postgres in a scratch folder).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/as-root.sh
source scripts/as-root.sh
scripts/setup.sh >/dev/null

scale=${1:-50}
app="$PWD/artifacts/app"
dotnet publish src/BackrestContainer -c Release -o "$app" --nologo -v quiet
export BACKREST_CONTAINER_APP_DIR="$app"

echo "bench: backrest-container config, 25 runs against /bin/true"
read -r config_ms true_ms config_rss < <(python3 - "$app/backrest-container" <<'PY'
import resource, statistics, subprocess, sys, time
environment = {"PGBACKREST": "true", "HOSTNAME": "bench", "PATH": "/usr/bin:/bin"}
def median_ms(command):
    times = []
    for _ in range(25):
        start = time.perf_counter()
        subprocess.run(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000
ours = median_ms([sys.argv[1], "config"])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
floor = median_ms(["/bin/true"])
print(f"{ours:.1f} {floor:.1f} {peak:.1f}")
PY
)
echo "bench: entrypoint in the stand-in (scale $scale)"
entrypoint_table=$(dotnet run --project bench/BackrestContainer.Bench -c Release -- "$scale")
echo "bench: first boot, 5 rounds against the same steps by hand"
first_boot=$(dotnet run --project bench/BackrestContainer.Bench -c Release --no-build -- first-boot 5)
bin=/usr/lib/postgresql/15/bin
work=$(mktemp -d /var/tmp/backrest-bench.XXXXXX)
chown postgres:postgres "$work"
port=55432
trap 'as_pg "$bin/pg_ctl" -D "$work/pgdata" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups -- env HOME="$work" PGHOST="$work" PGPORT="$port" "$@"; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

write_conf() { # $1 = repo folder, then extra option lines
    local repo=$1; shift
    {
        echo "[global]"
        echo "repo1-path=$repo"
        echo "log-path=$work"
        echo "lock-path=$work/lock"
        echo "start-fast=y"
        echo "repo1-retention-full=99"
        for line in "$@"; do echo "$line"; done
        echo "[db]"
        echo "pg1-path=$work/pgdata"
        echo "pg1-port=$port"
        echo "pg1-socket-path=$work"
    } >"$work/pgbackrest.conf"
    chown postgres:postgres "$work/pgbackrest.conf"
}

echo "bench: initdb and pgbench -i -s $scale"
as_pg "$bin/initdb" -D "$work/pgdata" --auth-local=trust >/dev/null
cat >>"$work/pgdata/postgresql.conf" <<CONF
port = $port
unix_socket_directories = '$work'
listen_addresses = ''
archive_mode = on
archive_command = 'pgbackrest --config=$work/pgbackrest.conf --stanza=db archive-push "%p"'
max_wal_size = 4GB
CONF
write_conf "$work/repo-setup"
as_pg "$bin/pg_ctl" -D "$work/pgdata" -l "$work/postgres.log" -w start >/dev/null
as_pg pgbackrest --config="$work/pgbackrest.conf" --stanza=db stanza-create >/dev/null
as_pg "$bin/pgbench" -i -q -s "$scale" postgres >/dev/null 2>&1
size=$(as_pg "$bin/psql" -XAtc "select pg_size_pretty(sum(pg_database_size(datname))) from pg_database" postgres)
as_pg "$bin/psql" -XAtc "checkpoint" postgres >/dev/null

declare -A backup_time backup_size
measure_backup() { # $1 = label, then option lines
    local label=$1; shift
    local repo="$work/repo-$label"
    write_conf "$repo" "$@"
    as_pg pgbackrest --config="$work/pgbackrest.conf" --stanza=db stanza-create >/dev/null
    sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
    local start; start=$(now)
    as_pg pgbackrest --config="$work/pgbackrest.conf" --stanza=db --type=full backup >/dev/null
    backup_time[$label]=$(seconds "$start" "$(now)")
    backup_size[$label]=$(du -sh "$repo/backup" | cut -f1)
    echo "bench: backup $label: ${backup_time[$label]} s, ${backup_size[$label]}"
}

measure_backup ours "compress-type=zst" "process-max=2"
measure_backup pgbackrest-defaults "compress-type=gz" "process-max=1"
measure_backup lz4 "compress-type=lz4" "process-max=2"
sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
start=$(now)
cp -a "$work/pgdata" "$work/pgdata-copy"
copy_time=$(seconds "$start" "$(now)")
rm -rf "$work/pgdata-copy"
echo "bench: cp -a: $copy_time s"

declare -A lag load_time drain_time
# A WAL-heavy pgbench script: each transaction inserts 5000 rows of 200 bytes (about 1.4 MB of WAL).
echo "insert into wal_load select g, repeat('x', 200) from generate_series(1, 5000) g;" >"$work/wal-load.sql"
as_pg "$bin/psql" -Xqc "create table wal_load (id int, filler text)" postgres
measure_lag() { # $1 = sync|async
    local mode=$1
    if [ "$mode" = async ]; then
        write_conf "$work/repo-lag-$mode" "compress-type=zst" "archive-async=y" "spool-path=$work/spool" "process-max=2"
    else
        write_conf "$work/repo-lag-$mode" "compress-type=zst"
    fi
    as_pg pgbackrest --config="$work/pgbackrest.conf" --stanza=db stanza-create >/dev/null
    local start; start=$(now)
    as_pg "$bin/pgbench" -n -c 4 -j 2 -t 200 -f "$work/wal-load.sql" postgres >/dev/null 2>&1
    load_time[$mode]=$(seconds "$start" "$(now)")
    lag[$mode]=$(find "$work/pgdata/pg_wal/archive_status" -name '*.ready' | wc -l)
    # How long the archive needs to catch up, which is also the wait before the next run.
    start=$(now)
    for _ in $(seq 600); do
        [ "$(find "$work/pgdata/pg_wal/archive_status" -name '*.ready' | wc -l)" -eq 0 ] && break
        sleep 0.2
    done
    drain_time[$mode]=$(seconds "$start" "$(now)")
    echo "bench: archive lag ($mode): ${lag[$mode]} segments after a ${load_time[$mode]} s load, drained in ${drain_time[$mode]} s"
}
measure_lag sync
measure_lag async

ratio=$(awk -v a="${backup_time[pgbackrest-defaults]}" -v b="${backup_time[ours]}" 'BEGIN { printf "%.1f", a / b }')
vs_copy=$(awk -v a="${backup_time[ours]}" -v b="$copy_time" 'BEGIN { printf "%.2f", a / b }')
{
    echo "# Benchmark results"
    echo
    echo "\`bench/run.sh $scale\` on $(date -u +%Y-%m-%d), $(nproc) CPUs, pgBackRest $(pgbackrest version | awk '{print $2}'), PostgreSQL 15; cluster: pgbench scale $scale, $size."
    echo
    echo "## The entrypoint"
    echo
    head -n 2 <<<"$entrypoint_table"
    head -n 1 <<<"$first_boot"
    tail -n +3 <<<"$entrypoint_table"
    echo "| \`backrest-container config\` (median of 25, NativeAOT) | $config_ms ms, peak RSS $config_rss MiB | $true_ms ms (/bin/true) | target ≤ 10 ms and ≤ 20 MiB |"
    echo
    tail -n +3 <<<"$first_boot"
    echo
    echo "## Full backup"
    echo
    echo "| Method | Seconds | Stored |"
    echo "|---|---:|---:|"
    echo "| backrest-container defaults (zst, process-max 2) | ${backup_time[ours]} | ${backup_size[ours]} |"
    echo "| pgBackRest defaults (gz, process-max 1) | ${backup_time[pgbackrest-defaults]} | ${backup_size[pgbackrest-defaults]} |"
    echo "| lz4, process-max 2 | ${backup_time[lz4]} | ${backup_size[lz4]} |"
    echo "| \`cp -a\` of PGDATA (no compression, no checksums) | $copy_time | $size |"
    echo
    echo "Our defaults are ${ratio}× faster than pgBackRest's and take ${vs_copy}× the time of a plain copy."
    echo
    echo "## Archive lag at the end of a write load"
    echo
    echo "pgbench -c 4 -j 2 -t 200 with a script inserting 5000 rows of 200 bytes a transaction (about 1.1 GB of WAL),"
    echo "then the segments still waiting in \`pg_wal/archive_status/*.ready\` and the time until none waits:"
    echo
    echo "| archive-push | Load seconds | Segments waiting at the end | Seconds to drain |"
    echo "|---|---:|---:|---:|"
    echo "| synchronous | ${load_time[sync]} | ${lag[sync]} | ${drain_time[sync]} |"
    echo "| asynchronous (archive-async=y, process-max 2) | ${load_time[async]} | ${lag[async]} | ${drain_time[async]} |"
} >bench/results.md
bench/summary.sh
cat bench/results.md
