#!/usr/bin/env bash
# Removes the repository host example's containers, volumes and network.
set -euo pipefail
for container in br-repo-replica br-repo-primary br-repo; do
    docker rm -f -v "$container" >/dev/null 2>&1 || true
done
for volume in br-repo-replica br-repo-primary br-repo-backups br-repo-tls; do
    docker volume rm -f "$volume" >/dev/null 2>&1 || true
done
docker network rm br-repo-net >/dev/null 2>&1 || true
