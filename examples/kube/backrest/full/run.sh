#!/usr/bin/env bash
# The guide's full restore on Kubernetes: a Job runs the restore container (the image with `restore`);
# `${CCP_CLI} get jobs` shows it completed, then ./post-restore.sh starts the restored database.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"

"$dir/cleanup.sh"

apply_manifest "$dir/restore.yaml"
${CCP_CLI} wait --namespace="${CCP_NAMESPACE}" --for=condition=complete job/backrest-full-restore --timeout=30m
${CCP_CLI} logs --namespace="${CCP_NAMESPACE}" job/backrest-full-restore
