#!/usr/bin/env bash
# The guide's point-in-time restore: CCP_BACKREST_TIMESTAMP (from `select current_timestamp` on the original server)
# feeds PITR_TARGET with PGBACKREST_TYPE=time. The restore container refuses a malformed or out-of-range time before
# it writes anything.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/docker/backrest/common.sh
source "$dir/../common.sh"
: "${CCP_BACKREST_TIMESTAMP:?set CCP_BACKREST_TIMESTAMP, e.g. CCP_BACKREST_TIMESTAMP=\"2019-10-27 16:53:05.590156+00\" ./run.sh}"
"$dir/cleanup.sh"

docker volume create br-new-pgdata >/dev/null
docker run --name backrest-pitr-restore --hostname backrest-pitr-restore \
    -v br-new-pgdata:/pgdata -v br-backups:/backrestrepo \
    -e PGBACKREST_STANZA=db \
    -e PGBACKREST_PG1_PATH=/pgdata/backrest-pitr-restored \
    -e PGBACKREST_REPO1_PATH=/backrestrepo/backrest-backups \
    -e PGBACKREST_LOG_PATH=/tmp \
    -e PGBACKREST_TYPE=time \
    -e PITR_TARGET="${CCP_BACKREST_TIMESTAMP}" \
    "$BACKREST_IMAGE" restore
echo "Restored; check with: docker ps -a (backrest-pitr-restore exited 0), then ./post-restore.sh"
