#!/usr/bin/env bash
# The guide's pitr restore on Kubernetes: a Job runs the restore container (the image with `restore`);
# `${CCP_CLI} get jobs` shows it completed, then ./post-restore.sh starts the restored database.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
: "${CCP_BACKREST_TIMESTAMP:?set CCP_BACKREST_TIMESTAMP, e.g. CCP_BACKREST_TIMESTAMP=\"2019-10-27 16:53:05.590156+00\" ./run.sh}"
"$dir/cleanup.sh"

apply_manifest "$dir/restore.yaml"
${CCP_CLI} wait --namespace="${CCP_NAMESPACE}" --for=condition=complete job/backrest-pitr-restore --timeout=30m
${CCP_CLI} logs --namespace="${CCP_NAMESPACE}" job/backrest-pitr-restore
