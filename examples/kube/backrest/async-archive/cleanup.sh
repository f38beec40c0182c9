#!/usr/bin/env bash
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
${CCP_CLI} delete --namespace="${CCP_NAMESPACE}" --ignore-not-found deployment/backrest-async-archive service/backrest-async-archive pvc/br-async-pgdata pvc/br-async-backups
