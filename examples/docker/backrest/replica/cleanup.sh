#!/usr/bin/env bash
# Removes the replica example's containers, volumes and network.
set -euo pipefail
for container in br-replica-1 br-primary; do
    docker rm -f -v "$container" >/dev/null 2>&1 || true
done
for volume in br-replica-1 br-replica-primary br-replica-backups; do
    docker volume rm -f "$volume" >/dev/null 2>&1 || true
done
docker network rm br-replica-net >/dev/null 2>&1 || true
