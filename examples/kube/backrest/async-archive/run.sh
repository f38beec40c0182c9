#!/usr/bin/env bash
# The guide's Async Archiving example on Kubernetes; then ls /pgdata, a full and a diff backup, and info.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
"$dir/cleanup.sh"
apply_manifest "$dir/backrest-async-archive.yaml"
cat <<NEXT
Once the pod is ready:
  ${CCP_CLI} exec <backrest async archive pod name> -- ls /pgdata
  ${CCP_CLI} exec <backrest async archive pod name> -- pgbackrest backup --stanza=db \\
      --pg1-path=/pgdata/backrest-async-archive --repo1-path=/backrestrepo/backrest-async-archive-backups --log-path=/tmp --type=full
  ${CCP_CLI} exec <backrest async archive pod name> -- pgbackrest backup --stanza=db \\
      --pg1-path=/pgdata/backrest-async-archive --repo1-path=/backrestrepo/backrest-async-archive-backups --log-path=/tmp --type=diff
  ${CCP_CLI} exec <backrest async archive pod name> -- pgbackrest info --stanza=db --repo1-path=/backrestrepo/backrest-async-archive-backups
NEXT
