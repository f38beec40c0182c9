#!/usr/bin/env bash
# The wrapper's own time (not a test): `backrest-container backup` against plain `pgbackrest backup` with the same
# options, run by run (bench/pair.sh pairs them), into repo1 on a volume and into repo2 in S3 (s3rver over TLS), in one
# database container of the stand-in. Written to bench/results-wrapper.md.
# Usage: bench/wrapper.sh [pgbench scale, default 10] [runs, default 5]. Needs root (the stand-in's namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/as-root.sh
source scripts/as-root.sh
scripts/setup.sh --test-servers >/dev/null

scale=${1:-10}
runs=${2:-5}
# shellcheck source=bench/hold.sh
source bench/hold.sh
hold_database "$scale"

backup_pair() { # repository
  "$pair" -n "$runs" --timeout 900 --vs "$hold/exec.sh pgbackrest --stanza=db --type=full --repo=$1 backup" \
    -- "$hold/exec.sh" backrest-container backup --type full --repo "$1"
}
echo "bench: backup into repo1 (volume)"; local_report=$(backup_pair 1); echo "$local_report"
echo "bench: backup into repo2 (S3)"; s3_report=$(backup_pair 2); echo "$s3_report"
# The restore container's work, as a delta into a directory of its own, against pgbackrest's delta restore.
restore_pair() { # repository
  sed "s|exec env -i|exec env -i PGBACKREST_PG1_PATH=/pgdata/restored-a$1 PGBACKREST_DELTA=y PGBACKREST_REPO=$1|" "$hold/exec.sh" >"$hold/restore$1.sh"
  chmod +x "$hold/restore$1.sh"
  "$pair" -n "$runs" --timeout 900 --vs "$hold/exec.sh pgbackrest --stanza=db --repo=$1 --delta --pg1-path=/pgdata/restored-b$1 restore" \
    -- "$hold/restore$1.sh" backrest-container restore
}
echo "bench: delta restore from repo1 (volume)"; local_restore_report=$(restore_pair 1); echo "$local_restore_report"
echo "bench: delta restore from repo2 (S3)"; restore_report=$(restore_pair 2); echo "$restore_report"

added() { # a timer report -> "A's median wall minus B's" in seconds
  awk '/^A wall s/ {a=$5} /^B wall s/ {b=$5} END {printf "%.2f s (A %.2f s, B %.2f s)", a-b, a, b}' <<<"$1"
}

cat > bench/results-wrapper.md <<MD
# The wrapper's own time around a backup

\`bench/wrapper.sh $scale $runs\` on $(date -u +%Y-%m-%d), $(nproc) CPUs, pgBackRest 2.45, PostgreSQL 15, pgbench scale
$scale ($size). One database container of the stand-in, repo1 on a volume, repo2 in S3 (s3rver over TLS on this
machine). A is \`backrest-container backup --type full --repo N\` (settings, the checks before, the repository lock
or lease, pgBackRest with progress, the summary read back); B is \`pgbackrest --stanza=db --type=full --repo=N backup\`
with the same configuration file. Both through the same nsenter (docker exec). A and B run in turn (the paired
timer) and the ratio is taken run by run; the wrapper's time is A's median wall time minus B's.

| Repository | The wrapper's time (median) | Target |
|---|---|---|
| repo1 on a volume | $(added "$local_report") | ≤ 0.3 s |
| repo2 in S3 | $(added "$s3_report") | ≤ 0.3 s |
| restore (delta) from repo1 on a volume | $(added "$local_restore_report") | ≤ 0.3 s |
| restore (delta) from repo2 in S3 | $(added "$restore_report") | ≤ 0.3 s |

Single backups vary by ±0.2 s here (the checkpoint, the wait for the stop segment's archiving), so read the two
medians, not one run. What the wrapper does that pgBackRest alone does not: asks the server and probes the store
(refusals with a clear line), takes the repository lock (a lease object in an object store, confirmed while
pgBackRest starts), parses the progress, and reads the summary back from backup.info while the lease is removed; a restore reads each
repository's backup.info for its plan.

## repo1 on a volume

\`\`\`text
$(figures "$local_report")
\`\`\`

## repo2 in S3

\`\`\`text
$(figures "$s3_report")
\`\`\`

## Restore from repo1 on a volume

\`\`\`text
$(figures "$local_restore_report")
\`\`\`

## Restore from repo2 in S3

A is \`backrest-container restore\` with PGBACKREST_DELTA=y and PGBACKREST_REPO=2 (the plan read from the repository,
the target directory observed, the lease, pgBackRest with progress); B is \`pgbackrest --repo=2 --delta restore\`
into a directory of its own. Both restore the newest backup over a copy of it, so both mostly compare files.

\`\`\`text
$(figures "$restore_report")
\`\`\`
MD
bench/summary.sh
cat bench/results-wrapper.md
