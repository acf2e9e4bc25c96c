#!/usr/bin/env bats
# ps and events (issue 3): ps lists the container's processes (host pids) as JSON or as ps(1)
# prints them; events --stats prints runc's statistics JSON once; events streams stats every
# interval and an oom event when the kernel OOM-kills a process of the container, and ends when
# the container stops.

load helpers

# start_three: a container with an init and two children (cgroup.procs has 3 pids).
start_three() {
    set_cmd 'sleep 1000 & sleep 1001 & exec sleep 1002'
    run_hull run -d -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    procs=$(cg_dir pids)/cgroup.procs
    wait_for line_count_is "$procs" 3
}

# events_bg ARGS...: `hull events ARGS... $CID` in the background, output to $TEST_DIR/events.out;
# its pid in EVENTS_PID (killed at teardown if still running).
events_bg() {
    hull events "$@" "$CID" > "$TEST_DIR/events.out" 2>&1 3>&- &
    EVENTS_PID=$!
    on_teardown "kill $EVENTS_PID 2>/dev/null; wait $EVENTS_PID 2>/dev/null"
}

# events_lines TYPE: how many events of TYPE the background events printed so far.
events_lines() {
    jq -c --arg t "$1" 'select(.type == $t)' "$TEST_DIR/events.out" 2>/dev/null | wc -l
}

has_events() {
    [ "$(events_lines "$1")" -ge "$2" ]
}

@test "ps: --format json is the array of the container's pids" {
    start_three
    run_hull ps --format json "$CID"
    [ "$status" -eq 0 ]
    [ "$(jq -c 'sort' <<< "$output")" = "$(sort -n "$procs" | jq -sc .)" ]
    [ "$(jq length <<< "$output")" -eq 3 ]
    run_hull ps -f json "$CID" -ef
    [ "$status" -ne 0 ]
    [[ "$output" == *json* ]]
}

@test "ps: --format json of a container with no process left is []" {
    set_cmd 'true'
    hull run -d -b "$BUNDLE" "$CID"
    wait_for status_is "$CID" stopped
    d=$(cg_dir pids)
    wait_for eval '[ ! -s "$d/cgroup.procs" ]'
    run_hull ps --format json "$CID"
    [ "$status" -eq 0 ]
    [ "$output" = "[]" ]
}

@test "ps: the table is ps -ef's header and the container's lines" {
    start_three
    run_hull ps "$CID"
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == UID*PID*PPID*CMD ]]
    [ "${#lines[@]}" -eq 4 ]
    for p in $(cat "$procs"); do
        printf '%s\n' "${lines[@]:1}" | awk -v p="$p" '$2 == p { found = 1 } END { exit !found }'
    done
    printf '%s\n' "${lines[@]:1}" | grep -c 'sleep 100[012]' | grep -qx 3
}

@test "ps: ps options after the id; the PID column is found by name" {
    start_three
    run_hull ps "$CID" -o comm,pid
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == COMMAND*PID ]]
    [ "${#lines[@]}" -eq 4 ]
    [ "$(printf '%s\n' "${lines[@]:1}" | awk '{ print $2 }' | sort -n)" = "$(sort -n "$procs")" ]
    # after --, too
    run_hull ps "$CID" -- -e -o pid,args
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 4 ]
    # an output without a PID column is an error that says so
    run_hull ps "$CID" -o comm
    [ "$status" -ne 0 ]
    [[ "$output" == *PID* ]]
}

@test "ps: a missing container and a bad format are errors" {
    run_hull ps "${ID_PREFIX}missing"
    [ "$status" -ne 0 ]
    [[ "$output" == *"does not exist"* ]]
    run_hull ps --format yaml "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *--format* ]]
}

@test "events --stats: one JSON line of runc's shape with cpu, memory and pids" {
    update_config '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 50}}'
    start_three
    run_hull events --stats "$CID"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 1 ]
    doc=${lines[0]}
    jq -e --arg id "$CID" '.type == "stats" and .id == $id' <<< "$doc"
    jq -e '.data.cpu.usage.total > 0 and (.data.cpu.usage | has("kernel") and has("user"))' <<< "$doc"
    jq -e '.data.cpu.throttling | type == "object"' <<< "$doc"
    jq -e '.data.memory.usage.limit == 67108864 and .data.memory.usage.usage > 0 and (.data.memory.usage | has("failcnt"))' <<< "$doc"
    jq -e '.data.memory | has("swap") and has("kernel") and has("kernelTCP")' <<< "$doc"
    jq -e '.data.memory.raw | type == "object" and length > 0' <<< "$doc"
    jq -e '.data.pids.current == 3 and .data.pids.limit == 50' <<< "$doc"
    jq -e '.data.blkio | type == "object"' <<< "$doc"
    jq -e '.data.hugetlb | type == "object"' <<< "$doc"
}

@test "events: a stats event every interval, and the stream ends (status 0) when the container stops" {
    set_cmd 'while [ ! -e /stop ]; do sleep 0.1; done'
    run_hull run -d -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    events_bg --interval 200ms
    wait_for has_events stats 3
    touch "$ROOTFS/stop"
    wait_for status_is "$CID" stopped
    # the stream ends by itself
    wait "$EVENTS_PID"
    cat "$TEST_DIR/events.out"
    jq -se --arg id "$CID" 'map(select(.type == "stats")) | length >= 3 and
        all(.id == $id and (.data.pids | type == "object"))' "$TEST_DIR/events.out"
}

@test "events: an OOM kill in the container is an oom event" {
    # swap = limit: no swap to escape to (v1 memsw = limit, v2 swap.max = 0)
    update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
    # the hog waits until events runs; dd's 64 MB buffer is charged page by page
    set_cmd 'while [ ! -e /go ]; do sleep 0.1; done
             dd if=/dev/zero bs=64M count=1 2>/dev/null | tail -c1 > /dev/null; echo "dd=$?" > /hog.out
             exec sleep 1000'
    run_hull run -d -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    events_bg --interval 100ms
    # a first stats event: events is watching (it read the OOM count before); start the hog
    wait_for has_events stats 1
    touch "$ROOTFS/go"
    wait_for test -s "$ROOTFS/hog.out"
    wait_for has_events oom 1
    cat "$TEST_DIR/events.out"
    # one kill, one event: {"type":"oom","id":ID}
    jq -se --arg id "$CID" 'map(select(.type == "oom")) == [{"type": "oom", "id": $id}]' "$TEST_DIR/events.out"
    # the container lives on (only the hog died); when it stops, events ends
    status_is "$CID" running
    hull kill "$CID" KILL
    wait "$EVENTS_PID"
}

@test "events: bad intervals, a stopped and a missing container are errors" {
    set_cmd 'true'
    hull run -d -b "$BUNDLE" "$CID"
    wait_for status_is "$CID" stopped
    for i in 0 5 -1s 5x ""; do
        run_hull events --interval "$i" "$CID"
        [ "$status" -ne 0 ]
        [[ "$output" == *--interval* ]]
    done
    run_hull events --stats "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"not running"* ]]
    run_hull events "$CID"
    [ "$status" -ne 0 ]
    run_hull events --stats "${ID_PREFIX}missing"
    [ "$status" -ne 0 ]
    [[ "$output" == *"does not exist"* ]]
}
