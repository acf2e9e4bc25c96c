#!/bin/bash
# tests/e2e/deps.sh: the Debian packages the end-to-end tests need, installed when missing (as
# tests/deps.sh does for the rest): the three engines, what they run with, and runc to compare.
#   podman (4.3) + conmon, catatonit for --init; containerd (1.6) with its runc v2 shim and ctr;
#   docker.io (20.10: dockerd, its own containerd, docker); tini (the subreaper run.sh runs
#   under); python3-grpcio (tests/e2e/ctr-update.py: containerd's Update call, which ctr 1.6 lacks).
# No service is started: the tests start each daemon themselves with their own configuration.
set -euo pipefail

PKGS=(podman conmon catatonit containerd docker.io runc tini python3-grpcio)

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2> /dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "e2e deps: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
fi
APT_OPTS=(-o DPkg::Lock::Timeout=600 -q)
echo "e2e deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# no daemon started by the packages' scripts (there is no systemd here; on a machine with an init
# system, policy-rc.d keeps docker and containerd from starting on the host's default paths)
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 0755 "$policy"
    own_policy=1
fi
rc=0
apt-get "${APT_OPTS[@]}" update -qq >&2 || rc=$?
[ "$rc" = 0 ] && { apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends "${missing[@]}" >&2 || rc=$?; }
[ -z "$own_policy" ] || rm -f "$policy"
exit "$rc"
