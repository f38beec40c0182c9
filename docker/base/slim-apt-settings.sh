#!/bin/sh
# mmdebstrap customize hook: the apt settings of the official debian:*-slim images (debuerreotype), so that
# `apt-get install` layers built on this base stay as small as on the real one. $1 is the new root.
set -eu
t="$1"
printf '#!/bin/sh\nexit 101\n' > "$t/usr/sbin/policy-rc.d"
chmod 0755 "$t/usr/sbin/policy-rc.d"
echo 'Apt::AutoRemove::SuggestsImportant "false";' > "$t/etc/apt/apt.conf.d/docker-autoremove-suggests"
c='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
printf 'DPkg::Post-Invoke { %s };\nAPT::Update::Post-Invoke { %s };\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n' "$c" "$c" \
    > "$t/etc/apt/apt.conf.d/docker-clean"
echo 'Acquire::GzipIndexes "true";' > "$t/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'Acquire::Languages "none";' > "$t/etc/apt/apt.conf.d/docker-no-languages"
rm -f "$t/etc/hostname" "$t/etc/resolv.conf" "$t"/var/cache/apt/*.bin
