#!/usr/bin/env bash
# A primary and a replica built from the primary's repository (a volume both mount), on one Docker network.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/docker/backrest/common.sh
source "$dir/../common.sh"
"$dir/cleanup.sh"

docker network create br-replica-net >/dev/null
docker volume create br-replica-primary >/dev/null
docker volume create br-replica-backups >/dev/null
docker volume create br-replica-1 >/dev/null
docker run -d --name br-primary --hostname br-primary --network br-replica-net \
    -v br-replica-primary:/pgdata -v br-replica-backups:/backrestrepo \
    "${GUIDE_DATABASE_ENV[@]}" \
    "$BACKREST_IMAGE" >/dev/null
docker exec br-primary backrest-container wait
docker exec br-primary backrest-container backup

# The replica reads the primary's repository (the same volume here; an object store in production).
docker run -d --name br-replica-1 --hostname br-replica-1 --network br-replica-net \
    -v br-replica-1:/pgdata -v br-replica-backups:/backrestrepo \
    "${GUIDE_DATABASE_ENV[@]}" \
    -e PG_MODE=replica -e PG_PRIMARY_HOST=br-primary -e PGBACKREST_REPO1_PATH=/backrestrepo/br-primary-backups \
    "$BACKREST_IMAGE" >/dev/null
docker exec br-replica-1 backrest-container wait

cat <<'NEXT'
The replica streams from the primary:
  docker exec br-replica-1 backrest-container check        # ok: replica of br-primary:5432, streaming from …
  docker exec br-primary psql -c "create table t (id int)"
  docker exec br-replica-1 psql -c "table t"
Failover (the primary is gone):
  docker rm -f br-primary
  docker exec br-replica-1 backrest-container promote      # accepts writes; its timeline reaches the repository
NEXT
