#!/usr/bin/env bash
# Starts the fully restored database: it replays WAL to the end of the archive and promotes.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/docker/backrest/common.sh
source "$dir/../common.sh"

docker run -d --name backrest-full-restored --hostname backrest-full-restored \
    -v br-new-pgdata:/pgdata -v br-backups:/backrestrepo \
    "${GUIDE_DATABASE_ENV[@]}" \
    -e PGBACKREST_REPO1_PATH=/backrestrepo/backrest-backups \
    "$BACKREST_IMAGE"
echo 'When ready: docker exec backrest-full-restored psql -c "table backrest_test_table"   # the table exists'
