#!/usr/bin/env bash
# The README's test command: installs what is missing, publishes the entrypoint exactly as the image does
# (NativeAOT), builds the image from docker/Dockerfile with Podman, then runs the unit tests, the integration tests
# (real PostgreSQL and pgBackRest in the container stand-in) and the image suite (the real image on Podman), one
# after another. Needs root: the stand-in builds containers from Linux namespaces, Podman runs as root.
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

# The stand-in containers' volumes (TestWorkspace) live in memory: the integration suite is CPU-bound, and a
# virtual disk's journal, flushes and writeback cost about a fifth of its CPU and a quarter of its time. What is
# tested does not depend on the medium (the full-disk fault mounts its own small volume).
workspaces=/tmp/backrest-container-it
mkdir -p "$workspaces"
mounted=false
if ! mountpoint -q "$workspaces"; then
    mount -t tmpfs -o mode=0755,size=50% backrest-container-it "$workspaces"
    mounted=true
fi

log=$(mktemp)
trap 'rm -f "$log"; if $mounted; then umount --lazy "$workspaces"; fi' EXIT
status=0
results="$PWD/artifacts/test-results"
rm -rf "$results"
# Built once, then the suites one after another: each is CPU-bound on its own, so on two CPUs running them side by
# side only stretches each of them and saves no time overall.
dotnet build BackrestContainer.sln -c Release --nologo -v quiet
for project in BackrestContainer.Tests BackrestContainer.IntegrationTests BackrestContainer.HaTests BackrestContainer.ImageTests; do
    started=$SECONDS
    dotnet test "tests/$project" -c Release --no-build --nologo --logger "trx" --results-directory "$results" 2>&1 | tee -a "$log" || status=$?
    echo "$project: $((SECONDS - started)) s"
done

# One closing line that any reader of CI output understands.
awk '/(Passed|Failed)! +- +Failed:/ {
        for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { gsub(",", "", p); printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"

# Where the time goes: the slowest tests of this run.
python3 scripts/slowest-tests.py 15 "$results"/*.trx || true

# What the reliability suites proved, counted from the results (passed cases only).
count() { cat "$results"/*.trx 2>/dev/null | grep -oE "testName=\"[^\"]*($1)[^\"]*\"[^>]*outcome=\"Passed\"" | wc -l; }
echo "reliability: $(count 'IntegrationTests[.]Inputs[.](HostileInputCorpusTests|RestoreValidationTests|BadInputTests)') hostile or invalid inputs refused end to end with nothing changed (and $(count 'BackrestContainer[.]Tests[.]Inputs[.]HostileInputCorpusTests[.]Hostile') refused by the settings in the unit corpus), $(count 'FaultMatrixTests|RepositoryFaultTests|RestartSoakTests|StopAtAnyMomentTests|FirstBootStop(AtOffsets|OnPhases)Tests|InterruptedRestoreTests|ArchiveStallTests|ObjectStorageOutage[A-Za-z]*Tests') faults survived with nothing lost, $(count 'RoundTripPropertyTests[.][A-Za-z_]+_is_refused_by_name') properties held for 3000 random values each"
exit "$status"
