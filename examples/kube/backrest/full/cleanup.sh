#!/usr/bin/env bash
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
${CCP_CLI} delete --namespace="${CCP_NAMESPACE}" --ignore-not-found job/backrest-full-restore deployment/backrest-full-restored pvc/br-new-pgdata
