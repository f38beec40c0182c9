#!/usr/bin/env bash
# Object-storage benchmark (not a test): full backup, restore and archive-push per segment (sync and async) with the
# repository on a local volume, in S3 (s3rver) and in Azure (Azurite), and with all three at once, over TLS in the
# container stand-in. One run on this machine, written to bench/results-object-storage.md.
# Usage: bench/object-storage.sh [pgbench scale, default 20]. Needs root (the stand-in's namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/as-root.sh
source scripts/as-root.sh
scripts/setup.sh --test-servers >/dev/null

scale=${1:-20}
app="$PWD/artifacts/app"
dotnet publish src/BackrestContainer -c Release -o "$app" --nologo -v quiet
export BACKREST_CONTAINER_APP_DIR="$app"
table=$(dotnet run --project bench/BackrestContainer.Bench -c Release -- object-storage "$scale")

cat > bench/results-object-storage.md <<MD
# Object-storage benchmark results

\`bench/object-storage.sh $scale\` on $(date -u +%Y-%m-%d), $(nproc) CPUs, pgBackRest 2.45, PostgreSQL 15, pgbench scale $scale;
the stores are s3rver 3.7.1 and Azurite 3.37 (Node.js, on this machine, over TLS on loopback): their speed, not a
cloud's. Backups are \`backrest-container backup --type full\` (zst, process-max 2); the restore is a restore
container from start to exit (from the last repository listed); archive-push is the mean of $((10)) WAL switches,
each waited for until pg_stat_archiver reports it (with all three repositories a segment counts once all three have it).

$table

How to read it: the local stores cost TLS, HTTP and a Node.js server's file writes per object; with small files
bundled (\`repoN-bundle=y\`, the default for object stores here) a backup is a few dozen objects instead of one a
file, and a cloud store adds network latency per request on top. With one
segment at a time, asynchronous archiving is *slower* per segment here (about 0.6 s against 0.2 s): PostgreSQL's
archive-push waits for the background process's answer, which it polls for. It pays off when segments queue up or a
store is slow or down (the healthy repositories keep receiving WAL, see the README), not on a fast idle link.
MD
cat bench/results-object-storage.md
