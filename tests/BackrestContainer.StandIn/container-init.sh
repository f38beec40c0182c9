#!/usr/bin/env bash
# PID 1's parent side of the container stand-in: runs as root inside fresh mount, PID, UTS, IPC and network
# namespaces (see ContainerStandIn.cs), builds the container's root from read-only binds of the host's system
# folders, a private /etc, fresh volumes and tmpfs /tmp and /run, then execs the entrypoint as PID 1.
# Inputs (environment): CT_ROOT CT_HOSTNAME CT_APP_DIR CT_ENV_FILE CT_USER CT_VOL_PGDATA CT_VOL_REPO CT_VOL_PGWAL
set -euo pipefail

root="$CT_ROOT"
mount --make-rprivate /
hostname "$CT_HOSTNAME"
ip link set lo up

mkdir -p "$root"/{usr,proc,dev,tmp,run,pgdata,backrestrepo,pgwal,opt/backrest-container,var/lib/postgresql,var/log}
mount --rbind /usr "$root/usr"
mount -o remount,bind,ro "$root/usr"
for top in bin sbin lib lib64 lib32 libx32; do
    if [ -L "/$top" ]; then
        ln -sfn "$(readlink "/$top")" "$root/$top"
    elif [ -d "/$top" ]; then
        mkdir -p "$root/$top"
        mount --rbind "/$top" "$root/$top"
        mount -o remount,bind,ro "$root/$top"
    fi
done

mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
mount -t proc proc "$root/proc"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mount -t tmpfs -o mode=755 tmpfs "$root/run"
ln -sfn /run "$root/var/run"
install -d -o postgres -g postgres -m 2775 "$root/run/postgresql"
chown postgres:postgres "$root/var/lib/postgresql"

mount --bind "$CT_VOL_PGDATA" "$root/pgdata"
# No repository volume (an object-store repository): /backrestrepo stays the image's bare, root-owned folder.
if [ -n "$CT_VOL_REPO" ]; then
    mount --bind "$CT_VOL_REPO" "$root/backrestrepo"
fi
mount --bind "$CT_VOL_PGWAL" "$root/pgwal"
mount --bind "$CT_APP_DIR" "$root/opt/backrest-container"
mount -o remount,bind,ro "$root/opt/backrest-container"

# PID 1 gets exactly the container's environment, never as `env NAME=value` arguments (a command line is readable in
# /proc by every process in the container, and secrets travel here) and with any name Docker allows (bash's export
# refuses some): python3 reads the NUL-separated file from the container's tmpfs /run/postgresql, removes it, execs.
install -m 0600 -o "$CT_USER" "$CT_ENV_FILE" "$root/run/postgresql/.backrest-container-environment"
launch='import os, sys
path = "/run/postgresql/.backrest-container-environment"
entries = [entry.split("=", 1) for entry in open(path, encoding="utf-8", errors="surrogateescape").read().split("\0") if "=" in entry]
os.remove(path)
os.execve(sys.argv[1], sys.argv[1:], dict(entries))'
if [ "$CT_USER" = root ]; then
    exec env -i /usr/sbin/chroot "$root" /usr/bin/python3 -c "$launch" /opt/backrest-container/backrest-container "$@"
fi
exec env -i /usr/sbin/chroot "$root" /usr/bin/setpriv --reuid="$CT_USER" --regid="$CT_USER" --init-groups -- \
    /usr/bin/python3 -c "$launch" /opt/backrest-container/backrest-container "$@"
