#!/usr/bin/env bash
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
${CCP_CLI} delete --namespace="${CCP_NAMESPACE}" --ignore-not-found deployment/backrest-primary deployment/backrest-replica-1 \
    service/backrest-primary service/backrest-replicas \
    pvc/br-replica-backups pvc/br-replica-primary-pgdata pvc/br-replica-1-pgdata secret/backrest-replication
