#!/usr/bin/env bash
set -euo pipefail
docker rm -f backrest-pitr-restore backrest-pitr-restored >/dev/null 2>&1 || true
docker volume rm br-new-pgdata >/dev/null 2>&1 || true
