#!/bin/bash
# tests/cgroup2/run-vm.sh [BATS_FILE...] (`make check-cgroup2`): run hull's integration tests that
# matter for cgroups, namespaces and the lifecycle inside a throwaway VM whose only cgroup
# hierarchy is cgroup v2 (tests/cgroup2/vm/, see its README).  The repository is shared into the
# VM at the same path; the VM's root is the host's / read-only, so build/hull and bats run as they
# are.  Ends with the suite's line "N passed, N failed, N skipped"; exit non-zero on any failure.
#
# Environment: HULL_VM_TESTS (file names under tests/integration, space separated) overrides the
# default subset; HULL_VM_TIMEOUT (seconds, default 2100); HULL_VM_CPUS (default 2).
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VM=$REPO/tests/cgroup2/vm
cd "$REPO"

# A test takes ~5 s in the TCG VM on a quiet host (every fork+exec costs ~30 ms there, a jq
# ~0.4 s), two to three times that on a loaded one: the files whose outcome depends on the cgroup
# layout, the namespaces and the core lifecycle (~75 tests, ~7 min), a few bad-input cases, and
# the resource limits and cgroup commands (resources ~6 min, update + pause + ps-events ~3.5 min),
# and exec (it enters the container's cgroup with CLONE_INTO_CGROUP on v2; ~2 min), lsm, and
# linux.netDevices (~4 tests, ~30 s) with a real dummy device and a physical NIC, which this host
# lacks: the VM gets a virtio NIC on a QEMU hub with no other port (vm-run.sh --nic), which the
# guest kernel names (no udev: eth0); HULL_TEST_PHYS_NETDEV=auto lets netdevices.bats find it (the
# one device of the initial namespace that is not lo, has no link kind and has a parent device).
# And the veth/bridge tests that lean on the kernel's netlink (veth made up in one request,
# address dumps in a peer's namespace under strict checks): the guest's 6.1 is older than this
# host's kernel (~6 tests, ~2 min; the 50-container and two-root churn tests stay on the host).
# FILE:REGEX selects the tests of FILE whose names match (tests/run.sh passes it to bats -f).
DEFAULT_TESTS=(
    cgroups.bats
    lifecycle.bats
    namespaces.bats
    "bad-input.bats:malformed JSON|an executable that does not exist|a failing hook|the failure of the container's setup|a duplicate id"
    resources.bats
    update.bats
    pause.bats
    ps-events.bats
    exec.bats
    lsm.bats
    netdevices.bats
    "network.bats:point-to-point from the annotations|hull-made bridge reach each other|MTU, MAC|failed setup leaves no device|in use on the bridge under another"
    zz_leaks.bats
)
files=()
if [ $# -gt 0 ]; then
    files=("$@")
elif [ -n "${HULL_VM_TESTS:-}" ]; then
    for f in $HULL_VM_TESTS; do files+=("tests/integration/$f"); done
else
    for f in "${DEFAULT_TESTS[@]}"; do files+=("tests/integration/$f"); done
fi

fail() {
    echo "check-cgroup2: $*" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
}

[ "$(id -u)" = 0 ] || fail "must run as root"
[ -x build/hull ] || [ -n "${HULL:-}" ] || fail "build/hull missing (run make)"
"$VM/setup.sh" 2> build/cgroup2-setup.log || { cat build/cgroup2-setup.log >&2; fail "VM setup failed"; }

# the rootfs is built on the host (mkrootfs takes ~20 s in the VM) and copied once into the VM's tmpfs
rm -rf build/vm-rootfs
tests/lib/mkrootfs.sh build/vm-rootfs > /dev/null || fail "cannot build the rootfs"
logs=${HULL_VM_LOGS:-$REPO/build/test-logs-cgroup2}
rm -rf "$logs"
envs=(--env HULL_TEST_ROOTFS=/tmp/hull-test-rootfs --env "HULL_TEST_ROOTFS_FROM=$REPO/build/vm-rootfs"
      --env "HULL_TEST_LOGS=$logs"
      --env "BATS_TEST_TIMEOUT=${HULL_VM_TEST_TIMEOUT:-300}" --env TMPDIR=/tmp
      --env HULL_TEST_PHYS_NETDEV=auto)
[ -n "${HULL:-}" ] && envs+=(--env "HULL=$HULL")

echo "== cgroup v2 VM: ${#files[@]} files (logs: ${logs#"$REPO"/})"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$VM/vm-run.sh" --share "$REPO" --cpus "${HULL_VM_CPUS:-2}" --timeout "${HULL_VM_TIMEOUT:-2100}" "${envs[@]}" \
    --nic --modules "virtio_net dummy" \
    -- tests/run.sh --integration "${files[@]}" | tee "$out"
rc=${PIPESTATUS[0]}
if ! tail -n 1 "$out" | grep -qE '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'; then
    fail "the VM run ended without a summary (exit status $rc)"
fi
exit "$rc"
