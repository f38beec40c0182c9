#!/usr/bin/env bash
set -euo pipefail
docker rm -f -v backrest-pitr-restore backrest-pitr-restored >/dev/null 2>&1 || true
docker volume rm -f br-new-pgdata >/dev/null 2>&1 || true
