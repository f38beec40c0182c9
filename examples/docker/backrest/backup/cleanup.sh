#!/usr/bin/env bash
# Removes the Backup example's container and volumes (run it after the restore examples' cleanups).
set -euo pipefail
docker rm -f -v backrest >/dev/null 2>&1 || true
docker volume rm -f br-pgdata br-backups >/dev/null 2>&1 || true
