#!/usr/bin/env bash
# A primary and a replica built from the primary's repository (a ReadWriteMany volume both mount), with Services.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
"$dir/cleanup.sh"
apply_manifest "$dir/backrest-replica.yaml"
cat <<NEXT
Once the primary is ready, take a backup so that the replica is built from the repository, not copied from the primary
(without one it falls back to pg_basebackup and says so):
  ${CCP_CLI} exec deploy/backrest-primary -- backrest-container backup
  ${CCP_CLI} exec deploy/backrest-replica-1 -- backrest-container check    # ok: replica of backrest-primary:5432, streaming …
Failover (the primary's pod is gone for good):
  ${CCP_CLI} scale deploy/backrest-primary --replicas=0
  ${CCP_CLI} exec deploy/backrest-replica-1 -- backrest-container promote
  # Make it the primary for good (a restart keeps it one) and point the Service backrest-primary at it:
  ${CCP_CLI} set env deploy/backrest-replica-1 PG_MODE=primary
  ${CCP_CLI} patch deploy/backrest-replica-1 -p '{"spec":{"template":{"metadata":{"labels":{"role":"primary"}}}}}'
The old primary's volume rejoins as a replica (re-synced from the repository with a delta restore):
  ${CCP_CLI} set env deploy/backrest-primary PG_MODE=replica PG_PRIMARY_HOST=backrest-replica-1
  ${CCP_CLI} patch deploy/backrest-primary -p '{"spec":{"template":{"metadata":{"labels":{"role":"replica"}}}}}'
  ${CCP_CLI} scale deploy/backrest-primary --replicas=1
NEXT
