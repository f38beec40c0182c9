#!/usr/bin/env bash
# Three PG_MODE=ha members on Kubernetes with Patroni's Kubernetes store.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
"$dir/cleanup.sh"
kubectl apply -f "$dir/backrest-ha.yaml"
cat <<'NEXT'
Once the pods are ready:
  kubectl exec backrest-ha-0 -- backrest-container check     # role, leader, members and lag
  kubectl exec backrest-ha-1 -- backrest-container promote   # a switchover to backrest-ha-1 through Patroni
  kubectl delete pod backrest-ha-0                           # a planned stop: another member leads in seconds
NEXT
