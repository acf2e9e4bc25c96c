#!/usr/bin/env bats
# pause / resume (issue 3): a paused container makes no progress until resumed (freezer.state on
# v1, cgroup.freeze on v2), `state` and `list` say paused, and the commands refuse the wrong
# status.  A paused container can still be killed and force-deleted.  kill --all reaches every
# process of the cgroup, not only the init.

load helpers

# counter_value: the counter the container's busy loop writes (retried: a read can fall between
# the truncation and the write).
counter_value() {
    local v i
    for ((i = 0; i < 50; i++)); do
        v=$(cat "$ROOTFS/count" 2>/dev/null)
        [ -n "$v" ] && { echo "$v"; return 0; }
        sleep 0.02
    done
    return 1
}

# counter_above N: the counter has gone past N (for wait_for).
counter_above() {
    [ "$(counter_value)" -gt "$1" ]
}

# expect_frozen 1|0: the freezer file of the layout says frozen / thawed.
expect_frozen() {
    if cg_on_v2 freezer; then
        expect_file "$(cg_dir "")/cgroup.freeze" "$1"
    elif [ "$1" = 1 ]; then
        expect_file "$(cg_dir freezer)/freezer.state" FROZEN
    else
        expect_file "$(cg_dir freezer)/freezer.state" THAWED
    fi
}

start_counter() {
    # a busy loop of builtins: i=$((i + 1)) and echo > FILE need no fork
    set_cmd 'i=0; while :; do i=$((i + 1)); echo $i > /count; done'
    run_hull run -d -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    wait_for test -s "$ROOTFS/count"
}

@test "pause: a paused container makes no progress; state and list say paused; resume continues" {
    start_counter
    hull pause "$CID"
    expect_frozen 1
    [ "$(status_of "$CID")" = paused ]
    [ "$(hull list --format json | jq -r --arg id "$CID" '.[] | select(.id == $id) | .status')" = paused ]
    hull list | grep -E "^$CID +[0-9]+ +paused "
    # the pid is still reported while paused
    [ "$(pid_of "$CID")" -gt 0 ]
    # no write at all while paused: same content, same modification time (the content may be
    # empty: frozen between the truncation and the write)
    a=$(stat -c '%y %s' "$ROOTFS/count")/$(cat "$ROOTFS/count")
    sleep 0.5
    b=$(stat -c '%y %s' "$ROOTFS/count")/$(cat "$ROOTFS/count")
    echo "paused: $a then $b"
    [ "$a" = "$b" ]
    n=${b##*/}
    hull resume "$CID"
    expect_frozen 0
    [ "$(status_of "$CID")" = running ]
    wait_for counter_above "${n:-0}"
}

@test "pause: the wrong status is refused: pause of a created or paused one, resume of a running one" {
    set_cmd 'exec sleep 1000'
    hull create -b "$BUNDLE" "$CID"
    run_hull pause "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"not running"*created* ]]
    hull start "$CID"
    run_hull resume "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"not paused"*running* ]]
    hull pause "$CID"
    run_hull pause "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"not running"*paused* ]]
    # delete without --force refuses a paused container too
    run_hull delete "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *paused* ]]
    hull resume "$CID"
    run_hull pause "${ID_PREFIX}missing"
    [ "$status" -ne 0 ]
    [[ "$output" == *"does not exist"* ]]
}

@test "pause: a stopped container cannot be paused or resumed" {
    set_cmd 'true'
    hull run -d -b "$BUNDLE" "$CID"
    wait_for status_is "$CID" stopped
    run_hull pause "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *stopped* ]]
    run_hull resume "$CID"
    [ "$status" -ne 0 ]
}

@test "pause: kill SIGKILL of a paused container stops it" {
    start_counter
    hull pause "$CID"
    pid=$(pid_of "$CID")
    hull kill "$CID" KILL
    wait_for status_is "$CID" stopped
    wait_for process_gone "$pid"
}

@test "pause: kill --all SIGKILL of a paused container stops it" {
    start_counter
    hull pause "$CID"
    hull kill --all "$CID" KILL
    wait_for status_is "$CID" stopped
}

@test "pause: delete --force of a paused container removes it and everything it had" {
    start_counter
    hull pause "$CID"
    pid=$(pid_of "$CID")
    hull delete --force "$CID"
    run_hull state "$CID"
    [ "$status" -ne 0 ]
    process_gone "$pid"
    assert_nothing_left
}

@test "kill --all reaches a process the init's signal does not (a child of the init)" {
    # the child traps USR1; the init (pid 1 of its namespace) ignores it
    cat > "$ROOTFS/child.sh" <<'EOF'
trap 'echo got > /got; exit 0' USR1
: > /ready
while :; do sleep 0.1; done
EOF
    set_cmd 'sh /child.sh & trap "" USR1; wait; exec sleep 1000'
    run_hull run -d -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    wait_for test -e "$ROOTFS/ready"
    hull kill "$CID" USR1
    sleep 0.5
    [ ! -e "$ROOTFS/got" ]
    hull kill --all "$CID" USR1
    wait_for test -e "$ROOTFS/got"
    # the init survived it (it ignores USR1) and the container still runs
    status_is "$CID" running
}

@test "delete --force kills every process of the container, also without a pid namespace" {
    update_config '.linux.namespaces |= map(select(.type != "pid"))'
    set_cmd 'sleep 1000 & sleep 1001 & exec sleep 1002'
    run_hull run -d -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    d=$(cg_dir pids)
    wait_for line_count_is "$d/cgroup.procs" 3
    pids=$(cat "$d/cgroup.procs")
    hull delete --force "$CID"
    for p in $pids; do
        process_gone "$p"
    done
}

@test "kill --all of a stopped container whose init is gone still reaches the leftovers" {
    # no pid namespace: the init's death does not take the others with it
    update_config '.linux.namespaces |= map(select(.type != "pid"))'
    set_cmd 'sleep 1000 & exec sleep 1001'
    run_hull run -d -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    d=$(cg_dir pids)
    wait_for line_count_is "$d/cgroup.procs" 2
    # the init alone dies
    hull kill "$CID" KILL
    wait_for status_is "$CID" stopped
    left=$(cat "$d/cgroup.procs")
    [ -n "$left" ]
    run_hull kill "$CID" KILL
    [ "$status" -ne 0 ]
    hull kill --all "$CID" KILL
    for p in $left; do
        wait_for process_gone "$p"
    done
}
