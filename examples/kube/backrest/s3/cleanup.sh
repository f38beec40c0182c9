#!/usr/bin/env bash
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
${CCP_CLI} delete --namespace="${CCP_NAMESPACE}" --ignore-not-found deployment/backrest-s3 service/backrest-s3 \
    pvc/br-s3-pgdata pvc/br-s3-backups secret/backrest-s3
