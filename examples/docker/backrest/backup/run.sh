#!/usr/bin/env bash
# The guide's Backup example: a database container with pgBackRest, then (by hand) pgbackrest info and backup.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/docker/backrest/common.sh
source "$dir/../common.sh"
"$dir/cleanup.sh"

docker volume create br-pgdata >/dev/null
docker volume create br-backups >/dev/null
docker run -d --name backrest --hostname backrest -p 5432:5432 \
    -v br-pgdata:/pgdata -v br-backups:/backrestrepo \
    "${GUIDE_DATABASE_ENV[@]}" \
    "$BACKREST_IMAGE"

cat <<'NEXT'
Once `docker logs backrest` shows the ready: line:
  docker exec backrest pgbackrest info --stanza=db --repo1-path=/backrestrepo/backrest-backups
  docker exec backrest pgbackrest backup --stanza=db --pg1-path=/pgdata/backrest \
      --repo1-path=/backrestrepo/backrest-backups --log-path=/tmp --type=full
  docker exec backrest psql -c "create table backrest_test_table (id int)"
NEXT
