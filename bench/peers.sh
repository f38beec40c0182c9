#!/usr/bin/env bash
# Side by side with CloudNativePG's engine (not a test): a full backup to S3 and a full restore from it, ours against
# barman-cloud 3.4 with its fastest options and against pgBackRest with its own defaults (PGO's engine as shipped), on
# the same cluster and the same S3 server (s3rver over TLS), one database container of the stand-in; then WAL
# archiving under pgbench (bench/archiving.sh) in the same run. bench/pair.sh runs each pair in turn, run by run.
# Written to bench/results-peers.md.
# One database per scale, so the table shows how the times grow with the cluster. Space: the stand-in's workspace
# holds every backup of a scale (barman-cloud's uncompressed ones are the cluster's size each): scale 200 with 3 runs
# filled a 12 GB tmpfs here, so give it about 10 × the cluster's size (the workspace is under $TMPDIR: a disk's
# /var/tmp holds it).
# Usage: bench/peers.sh ['pgbench scales', default 50] [runs, default 5] [archiving rounds, default 3].
# Needs root (the stand-in's namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/as-root.sh
source scripts/as-root.sh
scripts/setup.sh --test-servers >/dev/null
dpkg-query -W -f='${Status}' barman-cli-cloud 2>/dev/null | grep -q 'install ok installed' \
  || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends barman-cli-cloud >/dev/null

scales=${1:-50}
runs=${2:-5}
archiving_rounds=${3:-3}
# shellcheck source=bench/hold.sh
source bench/hold.sh
wall() { awk '/^A wall s/ {print $5}' <<<"$1"; }
wall_b() { awk '/^B wall s/ {print $5}' <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
rate() { awk -v mb="$1" -v s="$2" 'BEGIN {printf "%.0f MB/s", mb / s}'; }
medians() { # a timer report -> "A x s | B y s | A/B z"
  awk '/^A wall s/ {a=$5} /^B wall s/ {b=$5} /^A\/B wall/ {r=$4} END {printf "%.2f s | %.2f s | %.2f", a, b, r}' <<<"$1"
}
seconds() { # command... -> wall seconds
  local start end
  start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}'
}
rows=
limit_rows=
floors=
stored=
sections=
barman_version=
measure() { # scale: holds a database of that scale, runs the pairs and the limits, appends rows and sections
  hold_database "$1"
  # barman-cloud as CloudNativePG runs it: credentials and the CA in its environment, the cluster through the socket.
  store=(--endpoint-url https://s3.test:9443)
  cat >"$hold/barman.sh" <<SH
#!/bin/sh
exec "$hold/exec.sh" env AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_CA_BUNDLE=/etc/pgbackrest/test-ca.pem AWS_DEFAULT_REGION=us-east-1 "\$@"
SH
  # A full restore into an empty directory each run, for both.
  sed "s|exec env -i|exec env -i PGBACKREST_PG1_PATH=/pgdata/peer-ours PGBACKREST_REPO=2|" "$hold/exec.sh" >"$hold/exec-restore.sh"
  cat >"$hold/restore-ours.sh" <<SH
#!/bin/sh
"$hold/exec.sh" rm -rf /pgdata/peer-ours
exec "$hold/exec-restore.sh" backrest-container restore
SH
  cat >"$hold/restore-barman.sh" <<SH
#!/bin/sh
"$hold/exec.sh" rm -rf /pgdata/peer-barman
exec "$hold/barman.sh" barman-cloud-restore ${store[*]} s3://backrest/barman pg "\$1" /pgdata/peer-barman
SH
  chmod +x "$hold"/*.sh
  barman_version=$("$hold/barman.sh" barman-cloud-backup --version 2>&1 | awk '{print $NF}')

  barman_backup="$hold/barman.sh barman-cloud-backup ${store[*]} -J 2 --immediate-checkpoint -h /var/run/postgresql -U postgres s3://backrest/barman pg"
  echo "bench: full backup to S3, barman-cloud with gzip"
  gzip_report=$("$pair" -n "$runs" --timeout 1800 --vs "$barman_backup --gzip" -- "$hold/exec.sh" backrest-container backup --type full --repo 2)
  echo "$gzip_report"
  require_success "$gzip_report"
  echo "bench: full backup to S3, barman-cloud uncompressed"
  backup_report=$("$pair" -n "$runs" --timeout 1800 --vs "$barman_backup" -- "$hold/exec.sh" backrest-container backup --type full --repo 2)
  echo "$backup_report"
  require_success "$backup_report"
  newest_stored() { "$hold/exec.sh" pgbackrest --stanza=db --repo=2 --output=json info \
    | python3 -c 'import json,sys; i=json.load(sys.stdin)[0]["backup"][-1]["info"]; print("%.0f MiB of %.0f MiB" % (i["repository"]["delta"] / 1048576, i["size"] / 1048576))'; }
  ours_stored=$(newest_stored)

  # pgBackRest as it ships: every option the entrypoint defaults put back to pgBackRest's own default on the command
  # line (gz level 6, one process, no bundles, start-fast=n), the rest of the configuration the same.
  defaults="$hold/exec.sh pgbackrest --stanza=db --repo=2 --reset-compress-type --reset-process-max --reset-start-fast --reset-repo2-bundle backup --type=full"
  echo "bench: full backup to S3, pgBackRest with its own defaults"
  defaults_report=$("$pair" -n "$runs" --timeout 1800 --vs "$defaults" -- "$hold/exec.sh" backrest-container backup --type full --repo 2)
  echo "$defaults_report"
  require_success "$defaults_report"
  defaults_stored=$(newest_stored)
  # Ours is restored from its own backup (a restore takes the newest): one more, not timed. The restores run last:
  # each rewrites the holder's pgbackrest.conf for its target directory, which no backup after them could use.
  "$hold/exec.sh" backrest-container backup --type full --repo 2 >/dev/null 2>&1

  newest=$("$hold/barman.sh" barman-cloud-backup-list "${store[@]}" --format json s3://backrest/barman pg \
    | python3 -c 'import json,sys; print(sorted(b["backup_id"] for b in json.load(sys.stdin)["backups_list"] if b["status"] == "DONE")[-1])')
  echo "bench: full restore from S3 (barman-cloud's uncompressed backup $newest)"
  restore_report=$("$pair" -n "$runs" --timeout 1800 --vs "$hold/restore-barman.sh $newest" -- "$hold/restore-ours.sh")
  echo "$restore_report"
  require_success "$restore_report"


  # The machine's limits, inside the same container on the same volumes: what no backup tool can beat here.
  cluster_mb=$("$hold/exec.sh" du -sm /pgdata/backrest | cut -f1)
  limit_copy=$(seconds "$hold/exec.sh" cp -a /pgdata/backrest /pgdata/peer-copy)
  "$hold/exec.sh" rm -rf /pgdata/peer-copy
  limit_zstd=$(seconds "$hold/exec.sh" sh -c 'tar -cf - -C /pgdata backrest | zstd -3 -T1 -q -c >/dev/null')
  limit_write=$(seconds "$hold/exec.sh" dd if=/dev/zero of=/pgdata/peer-dd bs=1M count=1024 conv=fdatasync)
  limit_read=$(seconds "$hold/exec.sh" dd if=/pgdata/peer-dd of=/dev/null bs=1M)
  "$hold/exec.sh" rm -f /pgdata/peer-dd
  local fs; fs=$("$hold/exec.sh" df -T /pgdata | awk 'NR==2 {print $2}')
  rows+="| $1 ($size) | full backup to S3 (barman-cloud uncompressed) | $(medians "$backup_report") |"$'\n'
  rows+="| $1 ($size) | full backup to S3 (barman-cloud gzip) | $(medians "$gzip_report") |"$'\n'
  rows+="| $1 ($size) | full backup to S3 (pgBackRest with its own defaults) | $(medians "$defaults_report") |"$'\n'
  rows+="| $1 ($size) | full restore from S3 (barman-cloud's uncompressed backup) | $(medians "$restore_report") |"$'\n'
  limit_rows+="| $1 | \`cp -a\` of PGDATA ($cluster_mb MB) | $limit_copy s | $(rate "$cluster_mb" "$limit_copy") | restore $(ratio "$(wall "$restore_report")" "$limit_copy")× |"$'\n'
  limit_rows+="| $1 | one \`zstd -3\` stream over PGDATA (tar piped to \`zstd -T1\`) | $limit_zstd s | $(rate "$cluster_mb" "$limit_zstd") | backup $(ratio "$(wall "$backup_report")" "$limit_zstd")× |"$'\n'
  limit_rows+="| $1 | sequential write of 1 GiB (\`dd\`, fdatasync, $fs) | $limit_write s | $(rate 1024 "$limit_write") | |"$'\n'
  limit_rows+="| $1 | sequential read of it back (\`dd\`, page cache) | $limit_read s | $(rate 1024 "$limit_read") | |"$'\n'
  floors+="- scale $1: ours $(wall "$restore_report") s, barman-cloud $(wall_b "$restore_report") s; 2× faster than barman-cloud would be $(awk -v b="$(wall_b "$restore_report")" 'BEGIN {printf "%.2f", b / 2}') s, and \`cp -a\` of PGDATA took $limit_copy s."$'\n'
  stored+="scale $1: ours $ours_stored, pgBackRest's defaults $defaults_stored; "
  sections+="
## Scale $1: full backup, barman-cloud with gzip

\`\`\`text
$(figures "$gzip_report")
\`\`\`

## Scale $1: full backup, barman-cloud uncompressed

\`\`\`text
$(figures "$backup_report")
\`\`\`

## Scale $1: full backup, pgBackRest with its own defaults

\`\`\`text
$(figures "$defaults_report")
\`\`\`

## Scale $1: full restore

\`\`\`text
$(figures "$restore_report")
\`\`\`
"
  release_database
}
for scale in $scales; do measure "$scale"; done
# WAL archiving in the same run, on a cluster of its own; its table is copied below.
bench/archiving.sh "$archiving_rounds"

cat > bench/results-peers.md <<MD
# Side by side with barman-cloud (CloudNativePG's engine) and pgBackRest's own defaults

\`bench/peers.sh '$scales' $runs\` on $(date -u +%Y-%m-%d), $(nproc) CPUs, pgBackRest 2.45, barman-cloud
$barman_version, PostgreSQL 15, one pgbench cluster per scale. One database container of the stand-in; both write to
the same s3rver over TLS on this machine (its speed, not a cloud's). A and B run in turn (the paired timer) and the
ratio is taken run by run; the table quotes the medians.

- **Ours**: \`backrest-container backup --type full --repo 2\` with its defaults (zst level 3, process-max 2,
  bundles, start-fast, the repository lease and the summary), and a restore container (\`backrest-container
  restore\`, PGBACKREST_REPO=2) from start to exit into an empty directory.
- **barman-cloud**: \`barman-cloud-backup -J 2 --immediate-checkpoint\` (two upload jobs as our two processes, an
  immediate checkpoint as our start-fast), uncompressed (its fastest here) and with \`--gzip\` (the compression its
  documentation shows); \`barman-cloud-restore\` of the uncompressed backup into an empty directory. Its other
  compressions: \`--snappy\` fails with Debian's python3-snappy 0.6.1 on Python 3.11 ("PY_SSIZE_T_CLEAN macro must be
  defined"), \`--bzip2\` is slower than gzip.
- **pgBackRest with its own defaults** (what PGO runs unless told otherwise): \`pgbackrest backup --type=full\` with
  our configuration but \`--reset-compress-type --reset-process-max --reset-start-fast --reset-repo2-bundle\`, so gz
  level 6, one process, a file an object, and start-fast=n: its backup waits for a spread checkpoint, short here
  because the cluster is idle between runs, up to checkpoint_completion_target × checkpoint_timeout (4.5 minutes with
  PostgreSQL's defaults) on a busy server.

| Scale (size) | Operation | Ours (median) | Peer (median) | ours / peer |
|---|---|---:|---:|---:|
$rows
## The machine's limits

Measured once per scale in the same container on the same volumes right after the runs above; each of ours as a
ratio to the nearest limit. A restore writes the files the backup holds (not the WAL waiting in pg_wal) and
decompresses and checks each; a backup runs two processes and also checkpoints, uploads and waits for its WAL.

| Scale | Limit | Time | Rate | Ours against it |
|---|---|---:|---:|---|
$limit_rows
Why a restore is not 2× faster than barman-cloud's: it writes the whole cluster to the volume, so its floor is a
copy (\`cp -a\`, which neither decompresses, checks nor syncs anything); beyond that, pgBackRest decompresses (zst),
checks every file's checksum and syncs it, on two processes for two CPUs, while barman-cloud-restore extracts
uncompressed tar files. More CPUs (process-max) or a delta restore (only what changed) are what would get there.

$floors
Full backups stored in S3 (ours zst level 3 in bundles, pgBackRest's defaults gz level 6 a file an object):
${stored%; }; barman-cloud's uncompressed one stores the cluster's size, its gzip one about what gzip makes of it.
$sections
## WAL archiving under pgbench, same run

Archiving's time depends on the WAL written, not on the cluster's size: one load (758 MB of WAL) on a cluster of its
own.

$(sed -e '1,2d' -e 's/^## /### /' bench/results-archiving.md)
MD
bench/summary.sh
cat bench/results-peers.md
