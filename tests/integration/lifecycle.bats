#!/usr/bin/env bats
# The lifecycle of runtime.md: create, start, state, kill, delete, and run.

load helpers

@test "create: state is created with the container's pid, the process waits for start" {
    set_cmd 'echo started > /tmp/mark; sleep 100'
    hull create -b "$BUNDLE" "$CID"
    run status_of "$CID"
    [ "$output" = created ]
    pid=$(pid_of "$CID")
    [ "$pid" -gt 0 ]
    kill -0 "$pid"
    # the user process has not run yet
    sleep 0.3
    [ ! -e "$ROOTFS/tmp/mark" ]
}

@test "create, start, kill, delete: created -> running -> stopped -> gone" {
    set_cmd 'echo started > /tmp/mark; exec sleep 100'
    hull create -b "$BUNDLE" "$CID"
    [ "$(status_of "$CID")" = created ]
    pid=$(pid_of "$CID")

    hull start "$CID"
    wait_for status_is "$CID" running
    [ "$(pid_of "$CID")" = "$pid" ]
    wait_for test -e "$ROOTFS/tmp/mark"
    # the pid is the container's process: its root is the rootfs, it runs sleep
    [ "$(cat /proc/$pid/comm)" = sleep ]

    hull kill "$CID" KILL
    wait_for status_is "$CID" stopped
    wait_for process_gone "$pid"

    hull delete "$CID"
    run_hull state "$CID"
    [ "$status" -ne 0 ]
    [ ! -e "$ROOT/$CID" ]
    assert_nothing_left
}

@test "start: a second start of a running container fails" {
    set_cmd 'exec sleep 100'
    hull create -b "$BUNDLE" "$CID"
    hull start "$CID"
    run_hull start "$CID"
    [ "$status" -ne 0 ]
    [ "$(status_of "$CID")" = running ]
}

@test "start: a stopped container cannot be started again" {
    set_cmd 'true'
    hull create -b "$BUNDLE" "$CID"
    hull start "$CID"
    wait_for status_is "$CID" stopped
    run_hull start "$CID"
    [ "$status" -ne 0 ]
}

@test "state: stopped after the process exits by itself" {
    set_cmd 'exit 0'
    hull create -b "$BUNDLE" "$CID"
    hull start "$CID"
    wait_for status_is "$CID" stopped
}

@test "kill: the default signal is SIGTERM" {
    # init of a pid namespace only gets signals it handles: trap TERM and report it
    set_cmd 'trap "echo got TERM > /tmp/sig; exit 0" TERM; while :; do sleep 0.1; done'
    hull run -d -b "$BUNDLE" "$CID"
    wait_for status_is "$CID" running
    sleep 0.2
    hull kill "$CID"
    wait_for status_is "$CID" stopped
    [ "$(cat "$ROOTFS/tmp/sig")" = "got TERM" ]
}

@test "kill: signal by name with and without SIG, and by number" {
    set_cmd 'trap "echo USR1 >> /tmp/sig" USR1; trap "echo USR2 >> /tmp/sig" USR2; trap "echo HUP >> /tmp/sig" HUP; while :; do sleep 0.1; done'
    hull run -d -b "$BUNDLE" "$CID"
    sleep 0.3
    hull kill "$CID" USR1
    wait_for grep -q USR1 "$ROOTFS/tmp/sig"
    hull kill "$CID" SIGUSR2
    wait_for grep -q USR2 "$ROOTFS/tmp/sig"
    hull kill "$CID" 1
    wait_for grep -q HUP "$ROOTFS/tmp/sig"
    [ "$(status_of "$CID")" = running ]
}

@test "kill: an unknown signal is an error and the container keeps running" {
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    run_hull kill "$CID" SIGNOPE
    [ "$status" -ne 0 ]
    [[ "$output" == *NOPE* ]] || [[ "$output" == *signal* ]]
    [ "$(status_of "$CID")" = running ]
}

@test "kill: a created container can be killed" {
    set_cmd 'exec sleep 100'
    hull create -b "$BUNDLE" "$CID"
    pid=$(pid_of "$CID")
    hull kill "$CID" KILL
    wait_for status_is "$CID" stopped
    wait_for process_gone "$pid"
}

@test "kill: a stopped container is an error" {
    set_cmd 'true'
    hull run -d -b "$BUNDLE" "$CID"
    wait_for status_is "$CID" stopped
    run_hull kill "$CID" KILL
    [ "$status" -ne 0 ]
}

@test "kill --all: every process of the container gets the signal" {
    # no pid namespace: the container's processes are ordinary processes that SIGKILL reaches
    update_config '.linux.namespaces |= map(select(.type != "pid"))'
    set_cmd 'sleep 100 & sleep 100 & exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    wait_for status_is "$CID" running
    sleep 0.3
    cg=$(cgroup_dirs_of "$(pid_of "$CID")" | head -n 1)
    [ "$(wc -l < "$cg/cgroup.procs")" -eq 3 ]
    hull kill --all "$CID" KILL
    wait_for status_is "$CID" stopped
    wait_for line_count_is "$cg/cgroup.procs" 0
}

@test "kill: a missing container is an error" {
    run_hull kill nosuch-container KILL
    [ "$status" -ne 0 ]
}

@test "delete: a running container is an error and nothing changes" {
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    pid=$(pid_of "$CID")
    run_hull delete "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *running* ]] || [[ "$output" == *stopped* ]]
    [ "$(status_of "$CID")" = running ]
    [ "$(pid_of "$CID")" = "$pid" ]
    kill -0 "$pid"
    [ -n "$(cgroup_dirs_of "$pid")" ]
}

@test "delete: a created container is an error without --force" {
    set_cmd 'exec sleep 100'
    hull create -b "$BUNDLE" "$CID"
    run_hull delete "$CID"
    [ "$status" -ne 0 ]
    [ "$(status_of "$CID")" = created ]
}

@test "delete --force: kills a running container and removes it" {
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    pid=$(pid_of "$CID")
    hull delete --force "$CID"
    wait_for process_gone "$pid"
    run_hull state "$CID"
    [ "$status" -ne 0 ]
    assert_nothing_left
}

@test "delete -f: removes a created container" {
    set_cmd 'exec sleep 100'
    hull create -b "$BUNDLE" "$CID"
    pid=$(pid_of "$CID")
    hull delete -f "$CID"
    wait_for process_gone "$pid"
    assert_nothing_left
}

@test "delete --force: a missing container exits 0" {
    run_hull delete --force nosuch-container
    [ "$status" -eq 0 ]
}

@test "delete: a missing container without --force is an error" {
    run_hull delete nosuch-container
    [ "$status" -ne 0 ]
}

@test "state: a missing container is an error" {
    run_hull state nosuch-container
    [ "$status" -ne 0 ]
    [[ "$output" == *nosuch-container* ]] || [[ "$output" == *"not exist"* ]] || [[ "$output" == *"not found"* ]]
}

@test "run: exits with the container's exit status" {
    run_container 'exit 0'
    [ "$status" -eq 0 ]
    run_container 'exit 3'
    [ "$status" -eq 3 ]
    run_container 'exit 255'
    [ "$status" -eq 255 ]
}

@test "run: stdout and stderr of the container are passed through" {
    set_cmd 'echo to-stdout; echo to-stderr >&2'
    hull run -b "$BUNDLE" "$CID" > "$TEST_DIR/out" 2> "$TEST_DIR/err"
    [ "$(cat "$TEST_DIR/out")" = to-stdout ]
    grep -qx to-stderr "$TEST_DIR/err"
}

@test "run: stdin is passed through" {
    set_cmd 'read line; echo "read: $line"'
    run bash -c "echo hello | $(printf %q "$HULL") --root $(printf %q "$ROOT") run -b $(printf %q "$BUNDLE") $CID"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$output" = "read: hello" ]
}

@test "run: the container is deleted after it exits (no --keep)" {
    run_container 'true'
    [ "$status" -eq 0 ]
    run_hull state "$CID"
    [ "$status" -ne 0 ]
    assert_nothing_left
}

@test "run: killed by a signal exits 128+N (no pid namespace: sh kills itself)" {
    update_config '.linux.namespaces |= map(select(.type != "pid"))'
    run_container 'kill -TERM $$'
    [ "$status" -eq 143 ]
    run_container 'kill -KILL $$'
    [ "$status" -eq 137 ]
}

@test "run: killed from outside with hull kill exits 128+9" {
    set_cmd 'exec sleep 100'
    "$HULL" --root "$ROOT" run -b "$BUNDLE" "$CID" 3>&- &
    runpid=$!
    wait_for status_is "$CID" running
    hull kill "$CID" KILL
    rc=0
    wait "$runpid" || rc=$?
    [ "$rc" -eq 137 ]
}

@test "run: the foreground hull forwards signals to the container" {
    set_cmd 'trap "echo got USR1 > /tmp/sig; exit 7" USR1; while :; do sleep 0.1; done'
    "$HULL" --root "$ROOT" run -b "$BUNDLE" "$CID" 3>&- &
    runpid=$!
    wait_for status_is "$CID" running
    sleep 0.3
    kill -USR1 "$runpid"
    rc=0
    wait "$runpid" || rc=$?
    [ "$rc" -eq 7 ]
    [ "$(cat "$ROOTFS/tmp/sig")" = "got USR1" ]
}

@test "run --detach: returns at once, the container runs on" {
    set_cmd 'exec sleep 100'
    start=$(date +%s)
    hull run --detach -b "$BUNDLE" "$CID"
    [ $(($(date +%s) - start)) -lt 20 ]
    [ "$(status_of "$CID")" = running ]
    pid=$(pid_of "$CID")
    kill -0 "$pid"
}

@test "run -d: stays as stopped after the process exits, until deleted" {
    set_cmd 'true'
    hull run -d -b "$BUNDLE" "$CID"
    wait_for status_is "$CID" stopped
    hull delete "$CID"
    assert_nothing_left
}

@test "run --keep: the stopped container stays until deleted" {
    set_cmd 'exit 5'
    run_hull run --keep -b "$BUNDLE" "$CID"
    [ "$status" -eq 5 ]
    [ "$(status_of "$CID")" = stopped ]
    hull delete "$CID"
    assert_nothing_left
}

@test "create without process succeeds, start then fails" {
    update_config 'del(.process)'
    run_hull create -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    [ "$(status_of "$CID")" = created ]
    run_hull start "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *process* ]]
}

@test "create: a duplicate id is an error and the first container is untouched" {
    set_cmd 'exec sleep 100'
    hull create -b "$BUNDLE" "$CID"
    pid=$(pid_of "$CID")
    run_hull create -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"$CID"* ]] || [[ "$output" == *exist* ]]
    [ "$(status_of "$CID")" = created ]
    [ "$(pid_of "$CID")" = "$pid" ]
    kill -0 "$pid"
}

@test "create: invalid ids are rejected" {
    for id in "a/b" ".." "." "x y" "" "../evil" "a\\b"; do
        run_hull create -b "$BUNDLE" "$id"
        echo "id '$id': $status $output"
        [ "$status" -ne 0 ]
    done
    [ -z "$(ls -A "$ROOT")" ] || [ "$(find "$ROOT" -mindepth 1 -type d | wc -l)" = 0 ]
    [ ! -e "$TEST_DIR/evil" ]
}

@test "create --pid-file: the file holds the container's pid" {
    set_cmd 'exec sleep 100'
    hull create --pid-file "$TEST_DIR/pidfile" -b "$BUNDLE" "$CID"
    [ "$(cat "$TEST_DIR/pidfile")" = "$(pid_of "$CID")" ]
}

@test "run -d --pid-file with a relative path: relative to the caller's cwd" {
    set_cmd 'exec sleep 100'
    cd "$TEST_DIR"
    hull run -d --pid-file rel.pid -b "$BUNDLE" "$CID"
    [ "$(cat "$TEST_DIR/rel.pid")" = "$(pid_of "$CID")" ]
}

@test "create: the bundle defaults to the current directory" {
    set_cmd 'exec sleep 100'
    cd "$BUNDLE"
    hull create "$CID"
    [ "$(hull state "$CID" | jq -r .bundle)" = "$BUNDLE" ]
}

@test "state: survives hull being killed: a container created by a killed run still reports running" {
    set_cmd 'exec sleep 100'
    "$HULL" --root "$ROOT" run -b "$BUNDLE" "$CID" 3>&- &
    runpid=$!
    wait_for status_is "$CID" running
    pid=$(pid_of "$CID")
    kill -9 "$runpid"
    wait "$runpid" || true
    # the container outlives its runner
    kill -0 "$pid"
    [ "$(status_of "$CID")" = running ]
    kill -9 "$pid"
    wait_for status_is "$CID" stopped
}

@test "state: pid reuse does not fool it (the stopped container's pid given to another process)" {
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    pid=$(pid_of "$CID")
    hull kill "$CID" KILL
    wait_for status_is "$CID" stopped
    wait_for test ! -e "/proc/$pid"
    # make the kernel hand out the same pid to a process of ours (ns_last_pid, as root)
    got=
    for try in $(seq 20); do
        echo $((pid - 1)) > /proc/sys/kernel/ns_last_pid
        sleep 100 3>&- &
        if [ $! = "$pid" ]; then got=$!; break; fi
        kill $! 2>/dev/null
    done
    [ -n "$got" ] || skip "could not get pid $pid reused (a busy host took it first)"
    on_teardown "kill $got"
    [ "$(status_of "$CID")" = stopped ]
    run_hull kill "$CID" KILL
    [ "$status" -ne 0 ]
    kill -0 "$got"
}

@test "concurrent operations on one id do not corrupt the state" {
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    # (wait for our own jobs only: bats has background jobs of its own)
    pids=()
    for i in 1 2 3 4 5 6 7 8; do
        hull state "$CID" > "$TEST_DIR/state.$i" 2>&1 3>&- &
        pids+=($!)
    done
    hull kill "$CID" KILL 3>&- &
    pids+=($!)
    for p in "${pids[@]}"; do wait "$p"; done
    for i in 1 2 3 4 5 6 7 8; do
        cat "$TEST_DIR/state.$i"
        jq -e --arg id "$CID" '.id == $id and (.status == "running" or .status == "stopped")' "$TEST_DIR/state.$i" > /dev/null
    done
    wait_for status_is "$CID" stopped
    # two racing deletes: one wins, the other fails or finds nothing; nothing breaks, nothing is left
    hull delete "$CID" 3>&- &
    p1=$!
    hull delete "$CID" 2>/dev/null 3>&- &
    p2=$!
    r1=0; r2=0
    wait $p1 || r1=$?
    wait $p2 || r2=$?
    [ $r1 = 0 ] || [ $r2 = 0 ]
    run_hull state "$CID"
    [ "$status" -ne 0 ]
    assert_nothing_left
}
