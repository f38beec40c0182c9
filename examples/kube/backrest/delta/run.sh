#!/usr/bin/env bash
# The guide's delta restore on Kubernetes: a Job runs the restore container (the image with `restore`);
# `${CCP_CLI} get jobs` shows it completed, then ./post-restore.sh starts the restored database.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
: "${CCP_BACKREST_TIMESTAMP:?set CCP_BACKREST_TIMESTAMP, e.g. CCP_BACKREST_TIMESTAMP=\"2019-10-27 16:53:05.590156+00\" ./run.sh}"
"$dir/cleanup.sh"
# The original server must be stopped: the restore refuses a directory with a postmaster.pid.
${CCP_CLI} scale --namespace="${CCP_NAMESPACE}" deployment/backrest --replicas=0
${CCP_CLI} wait --namespace="${CCP_NAMESPACE}" --for=delete pod -l name=backrest --timeout=120s || true
apply_manifest "$dir/restore.yaml"
${CCP_CLI} wait --namespace="${CCP_NAMESPACE}" --for=condition=complete job/backrest-delta-restore --timeout=30m
${CCP_CLI} logs --namespace="${CCP_NAMESPACE}" job/backrest-delta-restore
