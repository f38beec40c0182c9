#!/usr/bin/env bash
# The README's main job: installs what is missing, publishes the entrypoint as the image does (NativeAOT), then
# walks the guide's five flows (backup, full, PITR, delta, async archiving) in the container stand-in, printing the
# Docker commands a user would type, each verification, and a summary table. Needs root (Linux namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/as-root.sh
source scripts/as-root.sh

scripts/setup.sh
app="$PWD/artifacts/app"
dotnet publish src/BackrestContainer -c Release -o "$app" --nologo -v quiet
export BACKREST_CONTAINER_APP_DIR="$app"
dotnet run --project tests/BackrestContainer.Demo -c Release --nologo
