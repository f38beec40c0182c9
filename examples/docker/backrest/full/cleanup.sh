#!/usr/bin/env bash
set -euo pipefail
docker rm -f -v backrest-full-restore backrest-full-restored >/dev/null 2>&1 || true
docker volume rm -f br-new-pgdata >/dev/null 2>&1 || true
