#!/usr/bin/env bash
# The README's test command: installs what is missing, publishes the entrypoint exactly as the image does
# (NativeAOT), builds the image from docker/Dockerfile with Podman, then runs the unit tests, the integration tests
# (real PostgreSQL and pgBackRest in the container stand-in) and the image suite (the real image on Podman), the
# test projects side by side. Needs root: the stand-in builds containers from Linux namespaces, Podman runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/as-root.sh
source scripts/as-root.sh

scripts/setup.sh --test-servers
scripts/lint.sh
app="$PWD/artifacts/app"
dotnet publish src/BackrestContainer -c Release -o "$app" --nologo -v quiet
export BACKREST_CONTAINER_APP_DIR="$app"
# The real image for the image suite (tests/BackrestContainer.ImageTests): Podman, a Debian base, docker/Dockerfile.
scripts/image.sh "$app"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
results="$PWD/artifacts/test-results"
rm -rf "$results"
dotnet test BackrestContainer.sln -c Release --nologo --logger "trx" --results-directory "$results" 2>&1 | tee "$log" || status=$?

# One closing line that any reader of CI output understands.
awk '/(Passed|Failed)! +- +Failed:/ {
        for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { gsub(",", "", p); printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"

# Where the time goes: the slowest tests of this run.
python3 scripts/slowest-tests.py 15 "$results"/*.trx || true

# What the reliability suites proved, counted from the results (passed cases only).
count() { cat "$results"/*.trx 2>/dev/null | grep -oE "testName=\"[^\"]*($1)[^\"]*\"[^>]*outcome=\"Passed\"" | wc -l; }
echo "reliability: $(count 'IntegrationTests[.]Inputs[.](HostileInputCorpusTests|RestoreValidationTests|BadInputTests)') hostile or invalid inputs refused end to end with nothing changed (and $(count 'BackrestContainer[.]Tests[.]Inputs[.]HostileInputCorpusTests[.]Hostile') refused by the settings in the unit corpus), $(count 'FaultMatrixTests|RepositoryFaultTests|RestartSoakTests|StopAtAnyMomentTests|FirstBootStopSweepTests|InterruptedRestoreTests|ArchiveStallTests|ObjectStorageOutage[A-Za-z]*Tests') faults survived with nothing lost, $(count 'RoundTripPropertyTests[.][A-Za-z_]+_is_refused_by_name') properties held for 3000 random values each"
exit "$status"
