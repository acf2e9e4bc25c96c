#!/usr/bin/env bats
# File descriptors: only 0-2 (plus --preserve-fds, plus LISTEN_FDS) reach the process.

load helpers

# The process's open fds, as ls sees them when it is the container's process (exec).
FDS='exec ls -l /proc/self/fd'

# fd_list: the fd numbers in an `ls -l /proc/self/fd` listing (stdin), without ls's own directory
# fd, as "0 1 2 ".
fd_list() {
    awk '$(NF-1) == "->" && $NF !~ "^/proc/[0-9]+/fd$" { print $(NF-2) }' | sort -n | tr '\n' ' '
}

@test "fds: only 0, 1 and 2 are open in the container, whatever hull had open" {
    set_cmd "$FDS"
    run bash -c 'exec 5>/dev/null 7</dev/null 9>>"$0"; "$@"' "$TEST_DIR/extra" "$HULL" --root "$ROOT" run -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    echo "$output"
    [ "$(fd_list <<< "$output")" = "0 1 2 " ]
}

@test "fds: the same for a created-then-started container" {
    set_cmd "$FDS > /tmp/fds"
    bash -c 'exec 5>/dev/null 6</dev/null; "$@"' _ "$HULL" --root "$ROOT" create -b "$BUNDLE" "$CID"
    hull start "$CID"
    wait_for status_is "$CID" stopped
    cat "$ROOTFS/tmp/fds"
    [ "$(fd_list < "$ROOTFS/tmp/fds")" = "0 1 2 " ]
}

@test "fds: --preserve-fds N passes 3..N+2 on, not the ones after" {
    set_cmd "echo to-three >&3; echo to-four >&4; $FDS"
    run bash -c 'exec 3>"$0/f3" 4>"$0/f4" 5>"$0/f5"; shift; "$@"' "$TEST_DIR" _ \
        "$HULL" --root "$ROOT" run --preserve-fds 2 -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    echo "$output"
    [ "$(fd_list <<< "$output")" = "0 1 2 3 4 " ]
    [ "$(cat "$TEST_DIR/f3")" = to-three ]
    [ "$(cat "$TEST_DIR/f4")" = to-four ]
    [ ! -s "$TEST_DIR/f5" ]
}

@test "fds: LISTEN_FDS from the caller (socket activation) are passed on and announced" {
    echo socket-data > "$TEST_DIR/activated"
    set_cmd 'echo "LISTEN_FDS=$LISTEN_FDS"; cat <&3'
    # LISTEN_PID must name the runtime itself: export it in a shell that then execs the runtime
    run bash -c 'exec 3<"$0"; export LISTEN_FDS=1 LISTEN_PID=$$; exec "$@"' "$TEST_DIR/activated" \
        "$HULL" --root "$ROOT" run -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "LISTEN_FDS=1" ]
    [ "${lines[1]}" = socket-data ]
}

@test "fds: --preserve-fds with a number that is not a number is an error" {
    run_hull run --preserve-fds many -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    assert_nothing_left
}

@test "fds: stdio of run -d goes where hull's went" {
    set_cmd 'echo out-line; echo err-line >&2'
    hull run -d -b "$BUNDLE" "$CID" > "$TEST_DIR/out" 2> "$TEST_DIR/err"
    wait_for status_is "$CID" stopped
    wait_for grep -q out-line "$TEST_DIR/out"
    grep -q err-line "$TEST_DIR/err"
}
