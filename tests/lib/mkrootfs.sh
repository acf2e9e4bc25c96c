#!/bin/bash
# tests/lib/mkrootfs.sh DIR: build a minimal busybox root filesystem in DIR (created if missing).
#   DIR/bin/busybox (Debian's busybox-static) plus a symlink per applet in DIR/bin,
#   DIR/etc/{passwd,group,hostname}, and the usual empty mount points.
# Used by the demo (tests/demo.sh) and by the integration tests (once per suite run).
set -euo pipefail

dir=${1:?usage: mkrootfs.sh DIR}
BUSYBOX=${BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || { echo "mkrootfs: $BUSYBOX missing (apt-get install busybox-static)" >&2; exit 1; }
# A dynamically linked busybox would need the host's libc inside the rootfs.
if command -v readelf >/dev/null && readelf -l "$BUSYBOX" 2>/dev/null | grep -q 'INTERP'; then
    echo "mkrootfs: $BUSYBOX is dynamically linked; install busybox-static" >&2
    exit 1
fi

mkdir -p "$dir"
cd "$dir"
mkdir -p bin etc proc sys dev tmp root home run var/tmp usr/bin usr/sbin sbin
chmod 1777 tmp var/tmp
chmod 0700 root
cp "$BUSYBOX" bin/busybox
chmod 0755 bin/busybox
# `busybox --install -s DIR` makes absolute links to the host path of DIR: make them relative.
./bin/busybox --install -s "$PWD/bin" 2>/dev/null || true
for l in bin/*; do
    [ -L "$l" ] || continue
    ln -sfn busybox "$l"
done

cat > etc/passwd <<'P'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat > etc/group <<'G'
root:x:0:
daemon:x:1:
tty:x:5:
users:x:100:
nogroup:x:65534:
G
echo hull > etc/hostname
: > etc/resolv.conf
