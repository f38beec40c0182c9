#!/usr/bin/env bash
# Starts the restored database; then: ${CCP_CLI} exec <backrest-pitr-restored pod name> -- psql -c "table backrest_test_table"
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
apply_manifest "$dir/post-restore.yaml"
