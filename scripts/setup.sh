#!/usr/bin/env bash
# Installs what the demo and the tests need on a fresh Debian machine, and nothing that is already there:
# PostgreSQL 15 and pgBackRest (the real ones the tests run), zlib1g-dev (NativeAOT links it),
# util-linux/iproute2/procps (the container stand-in: unshare, nsenter, setpriv, ip, ps), shellcheck and python3-yaml (lint),
# openssl and curl (the tests' TLS certificates, Azurite's container), python3-prometheus-client (the metrics test's
# text-format parser), Patroni with its etcd3 client and etcd (PG_MODE=ha; the tests run their own etcd in a
# namespace) and, with npm, the S3 and Azure protocol servers pinned in tests/object-storage and the Kubernetes
# manifest check in tests/kube-manifests.
# --test-servers also installs those npm packages (the tests and lint need them, the demo does not).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(postgresql-15 pgbackrest zlib1g-dev util-linux iproute2 procps shellcheck python3-yaml openssl curl python3-prometheus-client
    patroni python3-etcd etcd-server time)
command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} > 0)); then
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: missing ${missing[*]}; run this script as root (the tests need root for namespaces anyway)" >&2
        exit 1
    fi
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # The Debian package's own cluster is not used: the tests and demo run their own servers in namespaces.
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! id postgres >/dev/null 2>&1; then
    echo "setup: the postgres user is missing even though postgresql-15 is installed" >&2
    exit 1
fi

command -v dotnet >/dev/null || { echo "setup: the .NET SDK (dotnet) is required" >&2; exit 1; }

for tools in tests/object-storage tests/kube-manifests; do
    if [ "${1:-}" = --test-servers ] && { [ ! -f "$tools/node_modules/.package-lock.json" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; }; then
        echo "setup: installing the test tools pinned in $tools (npm ci)"
        npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error >/dev/null
    fi
done
echo "setup: ready ($(pgbackrest version), $(/usr/lib/postgresql/15/bin/postgres --version))"
