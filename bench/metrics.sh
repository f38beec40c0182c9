#!/usr/bin/env bash
# Metrics benchmark (not a test): what PGBACKREST_METRICS_PORT costs PID 1 (CPU over a quiet minute against a minute
# scraped every second) and a scrape's latency, in the container stand-in. One run, bench/results-metrics.md.
# Usage: bench/metrics.sh. Needs root (the stand-in's namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/as-root.sh
source scripts/as-root.sh
scripts/setup.sh >/dev/null

app="$PWD/artifacts/app"
dotnet publish src/BackrestContainer -c Release -o "$app" --nologo -v quiet
export BACKREST_CONTAINER_APP_DIR="$app"
table=$(dotnet run --project bench/BackrestContainer.Bench -c Release -- metrics)

cat > bench/results-metrics.md <<MD
# Metrics benchmark results

\`bench/metrics.sh\` on $(date -u +%Y-%m-%d), $(nproc) CPUs: a database container with PGBACKREST_METRICS_PORT
set and one backup, in the stand-in. PID 1's CPU time is read from /proc (its own and its reaped children's, so
the background refresh every 30 s, which runs pgbackrest info, is in both minutes); a scrape is curl inside the
container, its own cost outside PID 1.

$table
MD
cat bench/results-metrics.md
