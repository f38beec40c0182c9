#!/usr/bin/env bash
# repo1 on a PVC and repo2 in S3, the keys in a Secret mounted as files; then a backup into each repository.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
"$dir/cleanup.sh"
apply_manifest "$dir/backrest-s3.yaml"
cat <<NEXT
Once the pod is ready (if S3 does not answer, it is ready anyway and its log says archiving is DEGRADED):
  ${CCP_CLI} exec deploy/backrest-s3 -- backrest-container backup             # into repo1 (the PVC)
  ${CCP_CLI} exec deploy/backrest-s3 -- backrest-container backup --repo 2    # into S3
  ${CCP_CLI} exec deploy/backrest-s3 -- backrest-container check
NEXT
