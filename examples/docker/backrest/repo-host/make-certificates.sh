#!/usr/bin/env bash
# A throw-away CA and one certificate per host for pgBackRest's TLS protocol, made with openssl: FOR TRYING THE
# EXAMPLES ONLY, not for production (use your PKI or cert-manager; keep the CA key off the hosts).
#
#   make-certificates.sh DIR NAME...
#
# writes DIR/ca.crt and DIR/ca.key, and for each NAME a directory DIR/NAME holding ca.crt, tls.crt and tls.key: the
# layout of a Kubernetes TLS Secret, mounted as it is at /etc/pgbackrest/tls. Each certificate's CN and DNS name is
# NAME, the host name its peers connect to (pgBackRest checks it) and the client name the other side authorises.
# DAYS (default 365) sets how long they are valid; a negative number makes expired ones, for tests.
# Files are owned by OWNER (default 26:0, the image's postgres user), keys KEY_MODE (default 0600) as pgBackRest
# demands; for arbitrary UIDs with group 0 (OpenShift, RESTRICTED=1 in run.sh) use OWNER=0:0 KEY_MODE=0640.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 DIR NAME..." >&2; exit 2; }
dir=$1; shift
days=${DAYS:-365}
owner=${OWNER:-26:0}
key_mode=${KEY_MODE:-0600}
mkdir -p "$dir"
if [ ! -f "$dir/ca.key" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.crt" -days 3650 \
        -subj "/CN=backrest-container example CA" 2>/dev/null
    chmod 0600 "$dir/ca.key"
fi
for name in "$@"; do
    mkdir -p "$dir/$name"
    openssl req -newkey rsa:2048 -nodes -keyout "$dir/$name/tls.key" -out "$dir/$name/tls.csr" -subj "/CN=$name" 2>/dev/null
    printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$name" > "$dir/$name/tls.ext"
    openssl x509 -req -in "$dir/$name/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
        -out "$dir/$name/tls.crt" -days "$days" -extfile "$dir/$name/tls.ext" 2>/dev/null
    rm -f "$dir/$name/tls.csr" "$dir/$name/tls.ext"
    cp "$dir/ca.crt" "$dir/$name/ca.crt"
    chmod "$key_mode" "$dir/$name/tls.key"
    chmod 0644 "$dir/$name/tls.crt" "$dir/$name/ca.crt"
    chown -R "$owner" "$dir/$name" 2>/dev/null || true
done
