#!/bin/bash
# tests/deps.sh [--no-start] [PKG...]: install the Debian packages hull needs to build, demo, test
# and benchmark, and the extra PKGs (tests/e2e/deps.sh passes the container engines).
# Idempotent: quiet and quick when everything is present; `apt-get update` only when something is
# missing.  Needs root for the install step (nothing to do otherwise).
#   --no-start  no daemon is started by the packages' scripts while they install (a policy-rc.d
#               that refuses, only when none is there already): the engines of the end-to-end
#               tests must not start on the host's default paths.
set -euo pipefail

no_start=
if [ "${1:-}" = --no-start ]; then
    no_start=1
    shift
fi

PKGS=(
    build-essential pkg-config           # compiler, make, pkg-config for the libraries below
    libseccomp-dev libcap-dev libyajl-dev libmnl-dev   # what hull links against
    bats jq                              # integration tests (bats) and JSON checks in them
    busybox-static                       # the rootfs of the demo and test bundles
    iproute2 util-linux procps           # ip, unshare/nsenter/mount, ps/pgrep in tests
    runc crun hyperfine                  # the benchmark (hull beside runc and crun) and comparisons
    python3-jsonschema                   # tests: state, spec and features documents against the schemas
    apparmor                             # apparmor_parser: lsm.bats loads a profile where AppArmor is on (the VM)
    "$@"                                 # the caller's
)

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "deps: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
fi
APT_OPTS=(-o DPkg::Lock::Timeout=600 -q)
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
policy=/usr/sbin/policy-rc.d
if [ -n "$no_start" ] && [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 0755 "$policy"
    trap 'rm -f "$policy"' EXIT
fi
apt-get "${APT_OPTS[@]}" update -qq >&2
apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends "${missing[@]}" >&2
