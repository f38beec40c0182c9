#!/usr/bin/env bash
# The guide's Async Archiving example: PGBACKREST_ARCHIVE_ASYNC=y, a spool beside PGDATA, then full and diff backups.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/docker/backrest/common.sh
source "$dir/../common.sh"
"$dir/cleanup.sh"

docker volume create br-async-pgdata >/dev/null
docker volume create br-async-backups >/dev/null
docker run -d --name backrest-async-archive --hostname backrest-async-archive \
    -v br-async-pgdata:/pgdata -v br-async-backups:/backrestrepo \
    "${GUIDE_DATABASE_ENV[@]}" \
    -e PGBACKREST_ARCHIVE_ASYNC=y \
    "$BACKREST_IMAGE"

cat <<'NEXT'
Once ready:
  docker exec backrest-async-archive ls /pgdata      # backrest-async-archive, backrest-async-archive-spool
  docker exec backrest-async-archive pgbackrest backup --stanza=db --pg1-path=/pgdata/backrest-async-archive \
      --repo1-path=/backrestrepo/backrest-async-archive-backups --log-path=/tmp --type=full
  docker exec backrest-async-archive pgbackrest backup --stanza=db --pg1-path=/pgdata/backrest-async-archive \
      --repo1-path=/backrestrepo/backrest-async-archive-backups --log-path=/tmp --type=diff
  docker exec backrest-async-archive pgbackrest info --stanza=db --repo1-path=/backrestrepo/backrest-async-archive-backups
NEXT
