#!/usr/bin/env bash
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
${CCP_CLI} delete --namespace="${CCP_NAMESPACE}" --ignore-not-found job/backrest-pitr-restore deployment/backrest-pitr-restored pvc/br-new-pgdata
