#!/usr/bin/env bash
set -euo pipefail
docker rm -f -v backrest-async-archive >/dev/null 2>&1 || true
docker volume rm -f br-async-pgdata br-async-backups >/dev/null 2>&1 || true
