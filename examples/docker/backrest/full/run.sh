#!/usr/bin/env bash
# The guide's Full restore: the restore container (same image, `restore`) restores the newest backup of the Backup
# example into a new volume and exits 0; post-restore.sh then starts it.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/docker/backrest/common.sh
source "$dir/../common.sh"
"$dir/cleanup.sh"

docker volume create br-new-pgdata >/dev/null
docker run --name backrest-full-restore --hostname backrest-full-restore \
    -v br-new-pgdata:/pgdata -v br-backups:/backrestrepo \
    -e PGBACKREST_STANZA=db \
    -e PGBACKREST_PG1_PATH=/pgdata/backrest-full-restored \
    -e PGBACKREST_REPO1_PATH=/backrestrepo/backrest-backups \
    -e PGBACKREST_LOG_PATH=/tmp \
    "$BACKREST_IMAGE" restore
echo "Restored; check with: docker ps -a (backrest-full-restore exited 0), then ./post-restore.sh"
