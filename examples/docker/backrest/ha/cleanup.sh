#!/usr/bin/env bash
# Removes the HA example's containers and volumes (the cluster, its store and its repository).
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
docker compose -f "$dir/compose.yaml" --project-directory "$dir" down --volumes --remove-orphans >/dev/null 2>&1 || true
