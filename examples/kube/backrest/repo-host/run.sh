#!/usr/bin/env bash
# A repository host, a primary and a replica over pgBackRest's TLS protocol. The certificates are made here with the
# docker example's openssl helper and a throw-away CA (NOT for production), one Secret per pod, and the replication
# password is a random one; the CA's key is discarded.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/kube/backrest/common.sh
source "$dir/../common.sh"
"$dir/cleanup.sh"

certificates=$(mktemp -d)
trap 'rm -rf "$certificates"' EXIT
OWNER="$(id -u):$(id -g)" "$dir/../../../docker/backrest/repo-host/make-certificates.sh" "$certificates" \
    backrest-repo-host backrest-primary backrest-replica-1
for name in backrest-repo-host backrest-primary backrest-replica-1; do
    ${CCP_CLI} create secret generic "$name-tls" --namespace="${CCP_NAMESPACE}" \
        --from-file="$certificates/$name/ca.crt" --from-file="$certificates/$name/tls.crt" --from-file="$certificates/$name/tls.key"
done
${CCP_CLI} create secret generic backrest-replication --namespace="${CCP_NAMESPACE}" \
    --from-literal=password="$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
apply_manifest "$dir/backrest-repo-host.yaml"
cat <<NEXT
The repository host creates the stanza once the primary answers and takes the overdue first full backup by itself;
the replica is built from it through the repository host (or, if it starts first, with pg_basebackup).
  ${CCP_CLI} exec deploy/backrest-repo-host -- backrest-container check --max-age 1h
  ${CCP_CLI} exec deploy/backrest-repo-host -- backrest-container backup --type incr   # read from backrest-replica-1 (standby)
  ${CCP_CLI} exec deploy/backrest-repo-host -- backrest-container info
NEXT
