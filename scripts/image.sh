#!/usr/bin/env bash
# Builds the project's image with a real engine, Podman 4.3 from Debian, from docker/Dockerfile as users build it:
#   1. installs Podman (and the podman-docker shim, so `docker` is Podman) with the one containers.conf setting this
#      kind of machine needs (root here lacks CAP_SYS_RESOURCE: nofile/nproc limits Podman can set);
#   2. makes debian:bookworm-slim from the Debian mirror with mmdebstrap and the official slim images' apt settings
#      (no registry is reachable here);
#   3. builds docker/Dockerfile with the published NativeAOT binary standing in for its SDK stage (--build-context),
#      so only the stage that cannot be pulled is replaced.
# Idempotent and cached: a second run costs seconds. Builds use the host network (RUN apt-get reaches the Debian
# mirror); no bridge network is created here: the tests run containers inside network namespaces they make.
# Usage: scripts/image.sh APP_DIR (the folder holding the published backrest-container)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/as-root.sh
source scripts/as-root.sh
app_dir=${1:?usage: scripts/image.sh APP_DIR}

packages=(podman podman-docker runc mmdebstrap netavark aardvark-dns iptables uidmap fuse-overlayfs slirp4netns catatonit podman-compose)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
    echo "image: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Root here lacks CAP_SYS_RESOURCE (hard nofile 20000): Podman's default ulimits (1048576) make runc fail. Debian's
# containers-common ships a CNI bridge config without the CNI plugins: netavark is the backend to use. runc, as crun
# (if installed) refuses this machine's hybrid cgroup layout.
conf=/etc/containers/containers.conf
if ! grep -q '^# backrest-container 2' "$conf" 2>/dev/null; then
    mkdir -p /etc/containers
    if [ -f "$conf" ] && ! grep -q '^# backrest-container' "$conf"; then cp "$conf" "$conf.before-backrest-container"; fi
    cat > "$conf" <<'CONF'
# backrest-container 2: written by scripts/image.sh
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[network]
network_backend = "netavark"

[engine]
runtime = "runc"
CONF
fi
touch /etc/containers/nodocker

base=docker.io/library/debian:bookworm-slim
if ! podman image exists "$base"; then
    echo "image: making $base with mmdebstrap"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    mmdebstrap --quiet --variant=minbase --mode=root --format=tar \
        --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
        --customize-hook="$PWD/docker/base/slim-apt-settings.sh \"\$1\"" \
        bookworm "$work/rootfs.tar" \
        "deb http://deb.debian.org/debian bookworm main" "deb http://deb.debian.org/debian bookworm-updates main" \
        "deb http://deb.debian.org/debian-security bookworm-security main" > "$work/mmdebstrap.log" 2>&1 \
        || { cat "$work/mmdebstrap.log" >&2; exit 1; }
    podman import --quiet --change 'CMD ["bash"]' \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$work/rootfs.tar" "$base" >/dev/null
fi

# The stage docker/Dockerfile calls "build" (the .NET SDK image) made from the binary published on this machine.
prebuilt=$(mktemp -d)
cp "$app_dir/backrest-container" "$prebuilt/"
printf 'FROM scratch\nCOPY backrest-container /app/backrest-container\n' > "$prebuilt/Containerfile"
podman build --quiet --pull=never --network=host -t localhost/backrest-container-prebuilt "$prebuilt" >/dev/null
rm -rf "$prebuilt"

podman build --quiet --format docker --pull=never --network=host \
    --build-context build=container-image://localhost/backrest-container-prebuilt \
    -f docker/Dockerfile -t localhost/backrest-container:latest . >/dev/null
podman image prune -f >/dev/null
echo "image: localhost/backrest-container:latest, $(podman image inspect --format '{{.Size}}' localhost/backrest-container:latest | awk '{printf "%.0f MB", $1 / 1000000}')"
