#!/bin/bash
# tests/e2e/run.sh [ENGINE...]: the end-to-end matrix (tests/e2e/ENGINE.bats: podman, containerd,
# docker; all three by default) once per runtime (E2E_RUNTIMES, default "hull runc": runc proves the
# matrix itself).  Prints each bats file's TAP output and ends with "N passed, N failed, N skipped";
# exits non-zero when anything failed.  As root; `make check-e2e` runs it after building hull.
#   HULL  the hull binary (default build/hull)     E2E_FILE_TIMEOUT  seconds per bats run (600)
# Logs: build/e2e-logs/ENGINE-RUNTIME.tap.  Everything the engines make lives under one temporary
# directory, removed at the end; the last line before the summary checks that nothing is left.
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"

[ "$(id -u)" = 0 ] || {
    echo "e2e: run as root" >&2
    exit 1
}
if [ -z "${E2E_SUBREAPER:-}" ]; then
    tests/e2e/deps.sh || {
        echo "0 passed, 1 failed, 0 skipped"
        exit 1
    }
    # Orphans (conmon double-forks, containerd shims) are reaped by a subreaper (tini, a
    # dependency of docker.io), not left as zombies of a pid 1 that may not reap them.
    export E2E_SUBREAPER=1
    exec tini -s -- "$0" "$@"
fi
engines=("$@")
[ ${#engines[@]} -gt 0 ] || engines=(podman containerd docker)
read -r -a runtimes <<< "${E2E_RUNTIMES:-hull runc}"
export HULL=${HULL:-$REPO/build/hull}
LOGS=$REPO/build/e2e-logs
mkdir -p "$LOGS"
rm -f "$LOGS"/*.tap

# What the engines must not create on the host (their default places), seen before the run.
HOST_DEFAULTS=(/var/lib/containers /var/lib/docker /var/lib/containerd /run/containerd /run/docker
    /run/docker.sock /var/run/docker.sock /run/libpod /run/containers /etc/docker /opt/containerd
    /run/hull /run/runc)
declare -A existed=()
for p in "${HOST_DEFAULTS[@]}"; do
    [ -e "$p" ] && existed[$p]=1
done

E2E_TMP=$(mktemp -d /tmp/hull-e2e.XXXXXX)
export E2E_TMP
token=${E2E_TMP##*.}
start=$(date +%s)
passed=0 failed=0 skipped=0

# count_tap FILE: add FILE's ok / not ok / skip lines to the totals (a skip is not a pass); a run
# that reported fewer tests than its plan counts the missing ones as failures.
count_tap() {
    local f=$1 p n s plan
    p=$(grep -cE '^ok ' "$f")
    s=$(grep -cE '^ok .* # skip' "$f")
    n=$(grep -cE '^not ok ' "$f")
    p=$((p - s))
    plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$f" | head -n 1)
    if [ -n "$plan" ] && [ $((p + s + n)) -lt "$plan" ]; then
        n=$((n + plan - p - s - n))
    fi
    passed=$((passed + p)) failed=$((failed + n)) skipped=$((skipped + s))
    echo "# $(basename "$f" .tap): $p passed, $n failed, $s skipped"
}

for engine in "${engines[@]}"; do
    for rt in "${runtimes[@]}"; do
        log=$LOGS/$engine-$rt.tap
        echo "# === $engine with $rt ($(($(date +%s) - start))s)"
        E2E_RUNTIME=$rt timeout -k 10 "${E2E_FILE_TIMEOUT:-600}" \
            bats --tap "tests/e2e/$engine.bats" 2>&1 | tee "$log"
        rc=${PIPESTATUS[0]}
        before=$failed
        count_tap "$log"
        if [ "$rc" != 0 ] && [ "$failed" = "$before" ]; then
            echo "# $engine with $rt: bats exited $rc without a failed test: counted as one failure"
            failed=$((failed + 1))
        fi
    done
done

# The whole run: nothing of it may be left on the host.
leftovers() {
    local p
    find /sys/fs/cgroup -maxdepth 2 -name "hull-e2e-$token-*" -type d 2> /dev/null | sed 's/^/cgroup /'
    awk -v d="$E2E_TMP" 'index($5, d) == 1 { print "mount " $5 }' /proc/self/mountinfo
    local pids
    pids=$(grep -laF "$E2E_TMP" /proc/[0-9]*/cmdline 2> /dev/null | cut -d/ -f3)
    for p in $pids; do # not this shell, nor the grep (gone by now)
        [ "$p" != $$ ] && [ -d "/proc/$p" ] && echo "process $p: $(tr '\0' ' ' < "/proc/$p/cmdline")"
    done
    for p in "${HOST_DEFAULTS[@]}"; do
        [ -n "${existed[$p]:-}" ] || [ ! -e "$p" ] && continue
        case $p in
        /run/hull | /run/runc)
            # the runtime's default state root, used by podman (which passes no --root): no
            # container may be left in it (hull's .seccomp-cache may)
            [ -z "$(find "$p" -mindepth 1 -maxdepth 1 ! -name .seccomp-cache)" ] && rm -rf "$p" && continue
            ;;
        # containerd 1.6 puts its shims' sockets in /run/containerd/s whatever its state dir is;
        # dockerd makes /run/docker/plugins whatever its exec root is
        /run/containerd) rmdir /run/containerd/s /run/containerd/fifo /run/containerd 2> /dev/null ;;
        /run/docker) rmdir /run/docker/plugins /run/docker 2> /dev/null ;;
        esac
        [ -e "$p" ] || continue
        echo "host default $p created: $(find "$p" -mindepth 1 | head -n 5 | tr '\n' ' ')"
    done
}
left=$(leftovers)
if [ -z "$left" ]; then
    echo "ok - e2e: nothing is left on the host (cgroups, mounts, processes, default paths)"
    passed=$((passed + 1))
else
    echo "not ok - e2e: left on the host"
    sed 's/^/# /' <<< "$left"
    failed=$((failed + 1))
fi
# the temporary directory goes in any case (mounts first)
awk -v d="$E2E_TMP" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n 1 umount -l
rm -rf "$E2E_TMP"

echo "# e2e: $(($(date +%s) - start))s; logs in $LOGS"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
