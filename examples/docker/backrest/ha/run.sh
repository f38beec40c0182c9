#!/usr/bin/env bash
# Three etcd members and three PG_MODE=ha members with docker compose; the first to start initialises the cluster,
# the others are built from the shared repository once it holds a backup (pg_basebackup before that).
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
"$dir/cleanup.sh"
docker compose -f "$dir/compose.yaml" --project-directory "$dir" up -d
cat <<'NEXT'
Once ready (docker compose exec pg-1 backrest-container wait):
  docker compose exec pg-1 backrest-container check      # role, leader, members and lag
  docker compose exec pg-1 backrest-container backup     # on the leader (a replica refuses, naming the leader)
  docker compose kill pg-1; docker compose start pg-1    # a failover, then the old leader rejoins as a replica
NEXT
