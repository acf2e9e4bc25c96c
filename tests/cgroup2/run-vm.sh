#!/bin/bash
# tests/cgroup2/run-vm.sh [BATS_FILE...] (`make check-cgroup2`): run hull's integration tests that
# matter for cgroups, namespaces and the lifecycle inside a throwaway VM whose only cgroup
# hierarchy is cgroup v2 (tests/cgroup2/vm/, see its README).  The repository is shared into the
# VM at the same path; the VM's root is the host's / read-only, so build/hull and bats run as they
# are.  Ends with the suite's line "N passed, N failed, N skipped"; exit non-zero on any failure.
#
# Environment: HULL_VM_TESTS (file names under tests/integration, space separated) overrides the
# default subset; HULL_VM_TIMEOUT (seconds, default 900); HULL_VM_CPUS (default 2).
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VM=$REPO/tests/cgroup2/vm
cd "$REPO"

# bats is ~30x slower in the TCG VM than on the host: the subset that differs on a pure v2 host.
DEFAULT_TESTS="lifecycle.bats cgroups.bats namespaces.bats bad-input.bats zz_leaks.bats"
files=()
if [ $# -gt 0 ]; then
    files=("$@")
else
    for f in ${HULL_VM_TESTS:-$DEFAULT_TESTS}; do
        files+=("tests/integration/$f")
    done
fi

fail() {
    echo "check-cgroup2: $*" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
}

[ "$(id -u)" = 0 ] || fail "must run as root"
[ -x build/hull ] || [ -n "${HULL:-}" ] || fail "build/hull missing (run make)"
"$VM/setup.sh" 2> build/cgroup2-setup.log || { cat build/cgroup2-setup.log >&2; fail "VM setup failed"; }

envs=(--env HULL_TEST_ROOTFS=/tmp/hull-test-rootfs --env "HULL_TEST_LOGS=$REPO/build/test-logs-cgroup2"
      --env "BATS_TEST_TIMEOUT=${HULL_VM_TEST_TIMEOUT:-300}" --env TMPDIR=/tmp)
[ -n "${HULL:-}" ] && envs+=(--env "HULL=$HULL")

echo "== cgroup v2 VM: ${files[*]}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$VM/vm-run.sh" --share "$REPO" --cpus "${HULL_VM_CPUS:-2}" --timeout "${HULL_VM_TIMEOUT:-900}" "${envs[@]}" \
    -- tests/run.sh --integration "${files[@]}" | tee "$out"
rc=${PIPESTATUS[0]}
if ! tail -n 1 "$out" | grep -qE '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'; then
    fail "the VM run ended without a summary (exit status $rc)"
fi
exit "$rc"
