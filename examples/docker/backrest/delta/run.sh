#!/usr/bin/env bash
# The guide's delta restore: back to CCP_BACKREST_TIMESTAMP inside the Backup example's own PGDATA
# (PGBACKREST_PG1_PATH=/pgdata/backrest), keeping every file that already matches the backup. The original server is
# stopped first: the restore refuses a directory with a postmaster.pid.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/docker/backrest/common.sh
source "$dir/../common.sh"
: "${CCP_BACKREST_TIMESTAMP:?set CCP_BACKREST_TIMESTAMP, e.g. CCP_BACKREST_TIMESTAMP=\"2019-10-27 16:53:05.590156+00\" ./run.sh}"
"$dir/cleanup.sh"

docker stop backrest >/dev/null
docker run --name backrest-delta-restore --hostname backrest-delta-restore \
    -v br-pgdata:/pgdata -v br-backups:/backrestrepo \
    -e PGBACKREST_STANZA=db \
    -e PGBACKREST_PG1_PATH=/pgdata/backrest \
    -e PGBACKREST_REPO1_PATH=/backrestrepo/backrest-backups \
    -e PGBACKREST_LOG_PATH=/tmp \
    -e PGBACKREST_TYPE=time \
    -e PITR_TARGET="${CCP_BACKREST_TIMESTAMP}" \
    -e PGBACKREST_DELTA=y \
    "$BACKREST_IMAGE" restore
echo "Restored; check with: docker ps -a (backrest-delta-restore exited 0), then ./post-restore.sh"
