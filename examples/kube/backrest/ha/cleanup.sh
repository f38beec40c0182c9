#!/usr/bin/env bash
# Removes the HA example: its objects, its PVCs, and the Endpoints and ConfigMaps Patroni made for cluster db.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
kubectl delete -f "$dir/backrest-ha.yaml" --ignore-not-found >/dev/null
kubectl delete pvc,endpoints,configmap -l application=backrest-ha --ignore-not-found >/dev/null
