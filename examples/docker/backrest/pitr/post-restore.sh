#!/usr/bin/env bash
# Starts the point-in-time restored database: it replays WAL up to the timestamp and promotes (target-action promote).
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/docker/backrest/common.sh
source "$dir/../common.sh"

docker run -d --name backrest-pitr-restored --hostname backrest-pitr-restored \
    -v br-new-pgdata:/pgdata -v br-backups:/backrestrepo \
    "${GUIDE_DATABASE_ENV[@]}" \
    -e PGBACKREST_REPO1_PATH=/backrestrepo/backrest-backups \
    "$BACKREST_IMAGE"
echo 'When ready: docker exec backrest-pitr-restored psql -c "table backrest_test_table"   # does not exist'
