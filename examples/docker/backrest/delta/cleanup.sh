#!/usr/bin/env bash
set -euo pipefail
docker rm -f -v backrest-delta-restore backrest-delta-restored >/dev/null 2>&1 || true
