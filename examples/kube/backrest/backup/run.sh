#!/usr/bin/env bash
# The guide's Backup example on Kubernetes; then pgbackrest info and backup through ${CCP_CLI} exec.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
"$dir/cleanup.sh"
apply_manifest "$dir/backrest.yaml"
cat <<NEXT
Once the pod is ready:
  ${CCP_CLI} exec <backrest pod name> -- pgbackrest info --stanza=db --repo1-path=/backrestrepo/backrest-backups
  ${CCP_CLI} exec <backrest pod name> -- pgbackrest backup --stanza=db --pg1-path=/pgdata/backrest \\
      --repo1-path=/backrestrepo/backrest-backups --log-path=/tmp --type=full
NEXT
