#!/usr/bin/env bash
# Starts the delta-restored database from the original volume; PGDATA_PATH_OVERRIDE keeps the original directory
# name although the hostname differs.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/docker/backrest/common.sh
source "$dir/../common.sh"

docker run -d --name backrest-delta-restored --hostname backrest-delta-restored \
    -v br-pgdata:/pgdata -v br-backups:/backrestrepo \
    "${GUIDE_DATABASE_ENV[@]}" \
    -e PGDATA_PATH_OVERRIDE=backrest \
    -e PGBACKREST_PG1_PATH=/pgdata/backrest \
    -e PGBACKREST_REPO1_PATH=/backrestrepo/backrest-backups \
    "$BACKREST_IMAGE"
echo 'When ready: docker exec backrest-delta-restored psql -c "table backrest_test_table"   # does not exist'
