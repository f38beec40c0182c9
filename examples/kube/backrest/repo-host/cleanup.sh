#!/usr/bin/env bash
# Removes the repository host example's objects, its claims and Secrets included.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
${CCP_CLI} delete deployment,service,pvc --namespace="${CCP_NAMESPACE}" -l app=backrest-repo-host --ignore-not-found
${CCP_CLI} delete secret --namespace="${CCP_NAMESPACE}" --ignore-not-found \
    backrest-repo-host-tls backrest-primary-tls backrest-replica-1-tls backrest-replication
