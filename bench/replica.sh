#!/usr/bin/env bash
# Replica benchmark (not a test): a new replica of a pgbench primary built from the repository vs with pg_basebackup,
# and the old primary re-synced after a failover with backrest-container's delta restore vs pg_rewind by hand; time,
# and the bytes the (new) primary sent. Containers on a stand-in test network. One run, bench/results-replica.md.
# Usage: bench/replica.sh [pgbench scale, default 50]. Needs root (the stand-in's namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/as-root.sh
source scripts/as-root.sh
scripts/setup.sh >/dev/null

scale=${1:-50}
app="$PWD/artifacts/app"
dotnet publish src/BackrestContainer -c Release -o "$app" --nologo -v quiet
export BACKREST_CONTAINER_APP_DIR="$app"
table=$(dotnet run --project bench/BackrestContainer.Bench -c Release -- replica "$scale")

cat > bench/results-replica.md <<MD
# Replica benchmark results

\`bench/replica.sh $scale\` on $(date -u +%Y-%m-%d), $(nproc) CPUs, pgBackRest 2.45, PostgreSQL 15. Containers in the
stand-in on one test network (veth pairs to a bridge, 127.42.0.x); the repository is a volume every member mounts.
Times are container start to \`ready:\` (the replica streams), except pg_rewind's (the command alone). Bytes are what
the (new) primary sent on its network interface meanwhile (/proc/net/dev in its namespace), replication included.
Between the failover and the re-sync the new primary ran pgbench -c 2 -t 2000.

$table

How to read it: on one machine the two ways to build a replica take about as long (the repository is a local
volume), but pg_basebackup makes the primary send the whole cluster while the repository build takes nothing from
it; over a real network, and with an object store as the repository, that is the difference that matters (the
primary's disk and link stay with its clients). For the old primary, pg_rewind and the delta restore are close in
time; pg_rewind copies whole changed files from the new primary and needs a superuser-grade connection to it (and
the archive for WAL before the fork), the delta restore reads the repository and the new primary only streams to it
afterwards. backrest-container re-syncs with the delta restore.
MD
cat bench/results-replica.md
