#!/usr/bin/env bash
set -euo pipefail
docker rm -f backrest-full-restore backrest-full-restored >/dev/null 2>&1 || true
docker volume rm br-new-pgdata >/dev/null 2>&1 || true
