#!/usr/bin/env bash
# A repository host and a primary and a replica that reach it over pgBackRest's TLS protocol, on one Docker network.
# Only the repository host has a repository volume; it takes the backups (from the replica while it streams).
# The stop timeouts are the Kubernetes example's grace periods: a primary's clean stop pushes its last WAL through the
# repository host, which may take longer than the engine's default 10 s.
# RESTRICTED=1 runs every container as Kubernetes' restricted profile and OpenShift would: an arbitrary UID with
# group 0, a read-only root, no capabilities, no privilege escalation.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/docker/backrest/common.sh
source "$dir/../common.sh"
"$dir/cleanup.sh"

run_flags=()
certificate_owner=(-e OWNER=26:0 -e KEY_MODE=0600)
if [ -n "${RESTRICTED:-}" ]; then
    run_flags=(--user 1000680000:0 --read-only --cap-drop=ALL --security-opt=no-new-privileges)
    certificate_owner=(-e OWNER=0:0 -e KEY_MODE=0640)
fi

docker network create br-repo-net >/dev/null
for volume in br-repo-tls br-repo-backups br-repo-primary br-repo-replica; do
    docker volume create "$volume" >/dev/null
done

# A throw-away CA and a certificate per host, NOT for production; the CA's key is discarded once they are made.
docker run --rm --user 0 --network none -v br-repo-tls:/tls "${certificate_owner[@]}" \
    -v "$dir/make-certificates.sh:/usr/local/bin/make-certificates.sh:ro" --entrypoint bash "$BACKREST_IMAGE" \
    -c 'make-certificates.sh /tls br-repo br-repo-primary br-repo-replica && rm -f /tls/ca.key /tls/ca.srl'

tls() {
    echo "-e PGBACKREST_TLS_CA_FILE=/tls/ca.crt -e PGBACKREST_TLS_CERT_FILE=/tls/$1/tls.crt -e PGBACKREST_TLS_KEY_FILE=/tls/$1/tls.key"
}

# shellcheck disable=SC2046 # tls prints separate words on purpose
docker run -d --name br-repo --hostname br-repo --network br-repo-net --stop-timeout 60 "${run_flags[@]}" \
    -v br-repo-backups:/backrestrepo -v br-repo-tls:/tls:ro $(tls br-repo) \
    -e PGBACKREST_PG1_HOST=br-repo-primary -e PGBACKREST_PG2_HOST=br-repo-replica \
    -e PGBACKREST_BACKUP_SCHEDULE_FULL="0 1 * * 0" -e PGBACKREST_BACKUP_SCHEDULE_INCR="0 1 * * 1-6" \
    "$BACKREST_IMAGE" repo-host >/dev/null
# shellcheck disable=SC2046
docker run -d --name br-repo-primary --hostname br-repo-primary --network br-repo-net --stop-timeout 90 "${run_flags[@]}" \
    -v br-repo-primary:/pgdata -v br-repo-tls:/tls:ro $(tls br-repo-primary) \
    "${GUIDE_DATABASE_ENV[@]}" -e PGBACKREST_REPO1_HOST=br-repo \
    "$BACKREST_IMAGE" >/dev/null
docker exec br-repo-primary backrest-container wait
# The repository host creates the stanza and, the full backup being overdue (there is none), takes it at once.
for _ in $(seq 90); do
    docker exec br-repo backrest-container check --max-age 1h >/dev/null && break
    sleep 2
done
docker exec br-repo backrest-container check --max-age 1h

# The replica is built from that backup, through the repository host.
# shellcheck disable=SC2046
docker run -d --name br-repo-replica --hostname br-repo-replica --network br-repo-net --stop-timeout 90 "${run_flags[@]}" \
    -v br-repo-replica:/pgdata -v br-repo-tls:/tls:ro $(tls br-repo-replica) \
    "${GUIDE_DATABASE_ENV[@]}" -e PGBACKREST_REPO1_HOST=br-repo -e PG_MODE=replica -e PG_PRIMARY_HOST=br-repo-primary \
    "$BACKREST_IMAGE" >/dev/null
docker exec br-repo-replica backrest-container wait
# The engine's DNS may not answer for a container that just joined the network for some seconds (seen with Podman
# 4.3's aardvark-dns); the repository host finds the members by name for each backup.
for _ in $(seq 60); do
    docker exec br-repo getent hosts br-repo-primary br-repo-replica >/dev/null && break
    sleep 1
done

cat <<'NEXT'
Backups run on the repository host, reading from the replica while it streams:
  docker exec br-repo backrest-container backup --type incr   # ... data files read from br-repo-replica (standby)
  docker exec br-repo backrest-container info                 # each backup says where it was read from
  docker exec br-repo backrest-container check
The database containers hold no repository: their WAL goes through the repository host.
  docker exec br-repo-primary backrest-container check
NEXT
