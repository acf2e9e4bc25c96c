#!/usr/bin/env bats
# process.terminal: the pty master sent to --console-socket (runc's protocol), consoleSize,
# /dev/console, and `run` relaying the terminal in the foreground.

load helpers

# start_recvtty [INPUT]: a console-socket receiver in the background; $SOCK, $TTY_OUT, $RECV_PID.
start_recvtty() {
    requires cc
    local bin
    bin=$(build_helper recvtty)
    SOCK=$TEST_DIR/console.sock
    TTY_OUT=$TEST_DIR/tty.out
    "$bin" "$SOCK" "$TTY_OUT" "$@" 3>&- &
    RECV_PID=$!
    on_teardown "kill $RECV_PID 2>/dev/null"
    wait_for test -S "$SOCK"
}

# wait_recvtty: wait until the container's terminal is closed and recvtty exited.
wait_recvtty() {
    local i
    for i in $(seq 150); do
        kill -0 "$RECV_PID" 2>/dev/null || break
        sleep 0.1
    done
    wait "$RECV_PID"
}

@test "terminal: the pty master goes to --console-socket; the process has a tty on 0, 1, 2" {
    start_recvtty
    update_config '.process.terminal = true'
    set_cmd 'for f in 0 1 2; do [ -t $f ] && echo "fd $f is a tty"; done; tty; readlink /proc/self/fd/0'
    hull run -d --console-socket "$SOCK" -b "$BUNDLE" "$CID"
    wait_recvtty
    cat "$TTY_OUT"
    grep -q 'fd 0 is a tty' "$TTY_OUT"
    grep -q 'fd 1 is a tty' "$TTY_OUT"
    grep -q 'fd 2 is a tty' "$TTY_OUT"
    grep -Eq '^/dev/pts/[0-9]+' "$TTY_OUT"
    # the payload names the pty
    [ -s "$TTY_OUT.name" ]
}

@test "terminal: create + start with --console-socket, input reaches the process" {
    start_recvtty $'hello from the test\n'
    update_config '.process.terminal = true'
    set_cmd 'read line; echo "got: $line"'
    hull create --console-socket "$SOCK" -b "$BUNDLE" "$CID"
    hull start "$CID"
    wait_recvtty
    cat "$TTY_OUT"
    grep -q 'got: hello from the test' "$TTY_OUT"
    wait_for status_is "$CID" stopped
}

@test "terminal: consoleSize sets the window size" {
    start_recvtty
    update_config '.process.terminal = true | .process.consoleSize = {"height": 33, "width": 111}'
    set_cmd 'stty size'
    hull run -d --console-socket "$SOCK" -b "$BUNDLE" "$CID"
    wait_recvtty
    cat "$TTY_OUT"
    grep -q '^33 111' "$TTY_OUT"
}

@test "terminal: /dev/console is the container's pty" {
    start_recvtty
    update_config '.process.terminal = true'
    set_cmd 'stat -c "%F %t" /dev/console; stat -c "%t:%T" "$(tty)"; stat -c "%t:%T" /dev/console'
    hull run -d --console-socket "$SOCK" -b "$BUNDLE" "$CID"
    wait_recvtty
    cat "$TTY_OUT"
    # a pts device (major 136 = 0x88), the same as the process's tty
    grep -q '^character special file 88' "$TTY_OUT"
    [ "$(sed -n 2p "$TTY_OUT" | tr -d '\r')" = "$(sed -n 3p "$TTY_OUT" | tr -d '\r')" ]
}

@test "terminal: the process is a session leader with the pty as its controlling terminal" {
    start_recvtty
    update_config '.process.terminal = true'
    set_cmd 'cat /proc/self/stat'
    hull run -d --console-socket "$SOCK" -b "$BUNDLE" "$CID"
    wait_recvtty
    cat "$TTY_OUT"
    # fields after the comm: state ppid pgrp session tty_nr
    read -r st ppid pgrp sid ttynr _ < <(sed 's/.*) //' "$TTY_OUT")
    [ "$sid" = 1 ]
    [ "$ttynr" != 0 ]
}

@test "terminal: without process.terminal, --console-socket is an error" {
    start_recvtty
    run_hull run -d --console-socket "$SOCK" -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *terminal* ]] || [[ "$output" == *console* ]]
    assert_nothing_left
}

@test "terminal: detached with process.terminal but no --console-socket is an error" {
    update_config '.process.terminal = true'
    run_hull run -d -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *console* ]]
    assert_nothing_left
}

@test "terminal: a --console-socket nobody listens on is an error and nothing is left" {
    update_config '.process.terminal = true'
    run_hull run -d --console-socket "$TEST_DIR/nobody.sock" -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *nobody.sock* ]]
    assert_nothing_left
}

@test "terminal: run in the foreground relays the pty (under script)" {
    command -v script >/dev/null || skip "needs script (bsdutils)"
    update_config '.process.terminal = true'
    set_cmd '[ -t 0 ] && [ -t 1 ] && echo "TTY OK"; exit 3'
    run script -qec "$(printf '%q ' "$HULL" --root "$ROOT" run -b "$BUNDLE" "$CID")" /dev/null
    echo "$output"
    [ "$status" -eq 3 ]
    grep -q 'TTY OK' <<< "$output"
}

@test "terminal: /dev/console never follows a symlink the image put there (CVE-2025-52565)" {
    start_recvtty
    # the image's own /dev (no tmpfs), with /dev/console pointing at a procfs file
    update_config '.process.terminal = true | .mounts |= map(select(.destination != "/dev"))'
    rm -rf "$ROOTFS/dev"
    mkdir "$ROOTFS/dev"
    ln -s /proc/version "$ROOTFS/dev/console"
    set_cmd 'stat -c "console %F %t" /dev/console; stat -c "version %F" /proc/version'
    hull run -d --console-socket "$SOCK" -b "$BUNDLE" "$CID"
    wait_recvtty
    cat "$TTY_OUT"
    # /dev/console is the pty (major 136 = 0x88), and the procfs file is untouched
    grep -q '^console character special file 88' "$TTY_OUT"
    grep -q '^version regular' "$TTY_OUT"
}
