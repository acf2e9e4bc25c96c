#!/usr/bin/env bats
# Runs last (tests/run.sh runs the files in order): the whole suite run - every file before this
# one, all with the same HULL_TEST_RUN token in their ids - left no container, cgroup, mount,
# process, network namespace or state directory behind.

load helpers

setup() {
    [ "$(id -u)" = 0 ] || skip "the integration tests need root"
    [ -n "${HULL_TEST_TMP:-}" ] || skip "run through tests/run.sh, which gives the whole run one token"
    TOKEN=hullt-$HULL_TEST_RUN-
}

teardown() {
    true
}

@test "leaks: no cgroup of this run on any hierarchy" {
    left=$(find /sys/fs/cgroup -maxdepth 10 -type d -name "$TOKEN*" 2>/dev/null)
    [ -z "$left" ] || { echo "left: $left"; false; }
}

@test "leaks: no cgroup left by the unit tests (hull-unit-*, hull-bpf-test-*) on any hierarchy" {
    left=$(find /sys/fs/cgroup -maxdepth 10 -type d \( -name 'hull-unit-*' -o -name 'hull-bpf-test-*' \) 2>/dev/null)
    [ -z "$left" ] || { echo "left: $left"; false; }
}

@test "leaks: no process of this run (in a container cgroup or running hull on a test root)" {
    left=()
    for pid in $(cgroup_pids_of "$TOKEN"); do
        process_gone "$pid" || left+=("$pid")
    done
    # runtimes working on a test root of this run (bats' own processes name the run dir too)
    for f in $(grep -laF -- "$HULL_TEST_TMP/" /proc/[0-9]*/cmdline 2>/dev/null); do
        pid=${f#/proc/}; pid=${pid%/cmdline}
        [ "$pid" = $$ ] && continue
        grep -qa bats-core "$f" 2>/dev/null && continue
        process_gone "$pid" || left+=("$pid")
    done
    for p in "${left[@]}"; do echo "left: $p $(tr '\0' ' ' 2>/dev/null < /proc/$p/cmdline)"; done
    [ ${#left[@]} = 0 ]
}

@test "leaks: no mount under this run's directories or the build tree" {
    left=$(awk -v t="$HULL_TEST_TMP" -v b="$REPO/build" -v k="$TOKEN" \
        'index($5, t) == 1 || index($5, b "/") == 1 || index($5, k) > 0 { print $5 }' /proc/self/mountinfo)
    [ -z "$left" ] || { echo "left: $left"; false; }
}

@test "leaks: no state directory of this run" {
    left=$(find "$HULL_TEST_TMP" -maxdepth 6 -path '*/state/*' -type d 2>/dev/null || true)
    [ -z "$left" ] || { echo "left: $left"; false; }
    # the tests never use the default root
    [ -z "$(ls -d /run/hull/"$TOKEN"* 2>/dev/null)" ]
}

@test "leaks: no network namespace of this run" {
    [ -z "$(ls /run/netns 2>/dev/null | grep -F "$TOKEN")" ]
}
