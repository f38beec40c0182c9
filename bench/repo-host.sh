#!/usr/bin/env bash
# Repository host benchmark (not a test): on one stand-in test network, a repository host with a pgbench primary and
# a streaming replica reaching it over pgBackRest's TLS protocol, and a database container holding its own repository.
# Paired run by run (bench/pair.sh, or BENCH_PAIR): a full backup on the repository host read from the standby against
# one read from the primary (PGBACKREST_BACKUP_STANDBY=n), then one WAL segment's archive-push through the TLS server
# against one into a local repository; the primary's pgBackRest reads during one backup of each kind (rchar).
# Written to bench/results-repo-host.md.
# Usage: bench/repo-host.sh [pgbench scale, default 50] [runs, default 5]. Needs root (the stand-in's namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/as-root.sh
source scripts/as-root.sh
scripts/setup.sh >/dev/null

scale=${1:-50}
runs=${2:-5}
# shellcheck source=bench/hold.sh
source bench/hold.sh
hold_with repo-host-hold "$scale"

cat >"$hold/from-primary.sh" <<SH
#!/bin/sh
exec "$hold/repo.sh" env PGBACKREST_BACKUP_STANDBY=n backrest-container backup --type full
SH
# One segment pushed under a name of its own each run (timeline AA, never PostgreSQL's): a copy of a real segment, so
# pgBackRest's header checks pass and the bytes are WAL.
for side in primary local; do
  # shellcheck disable=SC2016 # expanded in the container
  "$hold/$side.sh" sh -c 'mkdir -p /tmp/push && cp "$(ls /pgdata/*/pg_wal/0000000100000000000000* | sort | tail -n 2 | head -n 1)" /tmp/push/seed'
  cat >"$hold/push-$side.sh" <<SH
#!/bin/sh
exec "$hold/$side.sh" sh -c 'n=\$(cat /tmp/push/n 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n > /tmp/push/n; f=/tmp/push/\$(printf "000000AA%016X" \$n); cp /tmp/push/seed \$f && pgbackrest --stanza=db archive-push \$f; s=\$?; rm -f \$f; exit \$s'
SH
done
chmod +x "$hold"/*.sh

echo "bench: full backup from the standby vs from the primary"
backup_report=$("$pair" -n "$runs" --timeout 1800 --vs "$hold/from-primary.sh" -- "$hold/repo.sh" backrest-container backup --type full)
echo "$backup_report"; require_success "$backup_report"
echo "bench: archive-push of one segment through the repository host's TLS server vs into a local repository"
push_report=$("$pair" -n $((runs * 4)) --timeout 600 --vs "$hold/push-local.sh" -- "$hold/push-primary.sh")
echo "$push_report"; require_success "$push_report"

# The primary's pgBackRest processes (archive commands aside), sampled while one backup of each kind runs.
sampled_read() { # the backup command -> bytes the primary's pgBackRest read meanwhile
  # shellcheck disable=SC2016 # expanded in the container
  "$hold/primary.sh" sh -c 'rm -f /tmp/sampled /tmp/stop-sampling; for i in $(seq 1 12000); do [ -e /tmp/stop-sampling ] && break; for p in $(pgrep -x pgbackrest); do grep -qa archive- /proc/$p/cmdline 2>/dev/null && continue; echo "$p $(awk "/^rchar/ {print \$2}" /proc/$p/io 2>/dev/null)"; done >> /tmp/sampled; sleep 0.05; done' &
  local sampler=$!
  "$@" >/dev/null 2>&1
  "$hold/primary.sh" touch /tmp/stop-sampling; wait "$sampler"
  "$hold/primary.sh" cat /tmp/sampled | awk 'NF == 2 && $2 != "" { if ($2 > max[$1]) max[$1] = $2 } END { s = 0; for (p in max) s += max[p]; print s }'
}
standby_read=$(sampled_read "$hold/repo.sh" backrest-container backup --type full)
primary_read=$(sampled_read "$hold/from-primary.sh")
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
median() { # a timer's report, A or B -> its median wall seconds
  awk -v side="$1" '$1 == side && $2 == "wall" {print $5}' <<<"$2"
}

cat > bench/results-repo-host.md <<MD
# Repository host benchmark results

\`bench/repo-host.sh $scale $runs\` on $(date -u +%Y-%m-%d), $(nproc) CPUs, pgBackRest 2.45, PostgreSQL 15, pgbench scale
$scale ($size). Stand-in containers on one test network (veth pairs to a bridge, 127.42.0.x): a repository host
(its repository on a volume), a primary and a streaming replica with \`PGBACKREST_REPO1_HOST\`, and a database
container with its own repository on a volume. Paired timer, A and B in turn, the ratio run by run.

| Comparison | A (median) | B (median) | Primary's pgBackRest read during one backup |
|---|---:|---:|---:|
| full backup on the repository host: A from the standby, B from the primary (\`PGBACKREST_BACKUP_STANDBY=n\`) | $(median A "$backup_report") s | $(median B "$backup_report") s | A $(mib "$standby_read"), B $(mib "$primary_read") |
| archive-push of one 16 MiB segment: A through the repository host's TLS server, B into a local repository | $(median A "$push_report") s | $(median B "$push_report") s | |

How to read it: from the standby the primary's pgBackRest reads next to nothing (the start and stop calls, pg_control
and the configuration files), while from the primary it reads the whole cluster; on one machine the two backups take
about as long (the same CPUs compress either way; the standby's start waits for its replay to reach the backup's
start). archive-push through the TLS server adds a connection and a TLS handshake to each segment (pgBackRest's
per-command cost); asynchronous archiving (\`PGBACKREST_ARCHIVE_ASYNC=y\`) keeps one process and connection for many
segments.

## Full backup: from the standby (A) vs from the primary (B)

\`\`\`text
$(figures "$backup_report")
\`\`\`

## archive-push: through the TLS server (A) vs a local repository (B)

\`\`\`text
$(figures "$push_report")
\`\`\`
MD
bench/summary.sh
cat bench/results-repo-host.md
