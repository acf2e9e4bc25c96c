#!/usr/bin/env bats
# Hooks: all six kinds, their order, the state on stdin, args, env, timeout, and what a failing
# hook does (runtime.md "Lifecycle": stop the container and destroy it; poststop only warns).

load helpers

setup() {
    hull_setup
    LOG=$TEST_DIR/hooks.log
    : > "$LOG"
    # a host-side hook: logs its kind and saves the state it got on stdin
    cat > "$TEST_DIR/hook.sh" <<EOF
#!/bin/sh
cat > "$TEST_DIR/state.\$1.json"
echo "\$1" >> "$LOG"
EOF
    chmod +x "$TEST_DIR/hook.sh"
}

# hook KIND [EXTRA JSON]: the JSON of a runtime-namespace hook that logs KIND
hook() {
    echo "{\"path\": \"$TEST_DIR/hook.sh\", \"args\": [\"hook.sh\", \"$1\"]}"
}

# add_hook KIND JSON
add_hook() {
    update_config ".hooks.$1 += [\$h]" --argjson h "$2"
}

# the startContainer hook runs in the container: its path is resolved in the rootfs
START_HOOK='{"path": "/bin/sh", "args": ["sh", "-c", "cat > /state.startContainer.json; echo startContainer >> /hooks.log"]}'

failing_hook() { # failing_hook STATUS
    echo "{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"exit $1\"]}"
}

@test "hooks: all six kinds run in lifecycle order with the state on stdin" {
    for k in prestart createRuntime createContainer poststart poststop; do
        add_hook $k "$(hook $k)"
    done
    add_hook startContainer "$START_HOOK"
    set_cmd 'echo user-process >> /hooks.log; exec sleep 100'

    hull create -b "$BUNDLE" "$CID"
    cat "$LOG"
    [ "$(cat "$LOG" | xargs)" = "prestart createRuntime createContainer" ]
    [ ! -e "$ROOTFS/hooks.log" ]

    hull start "$CID"
    wait_for grep -q user-process "$ROOTFS/hooks.log"
    [ "$(cat "$ROOTFS/hooks.log" | xargs)" = "startContainer user-process" ]
    wait_for grep -q poststart "$LOG"
    [ "$(cat "$LOG" | xargs)" = "prestart createRuntime createContainer poststart" ]

    hull kill "$CID" KILL
    wait_for status_is "$CID" stopped
    hull delete "$CID"
    [ "$(cat "$LOG" | xargs)" = "prestart createRuntime createContainer poststart poststop" ]

    # the state documents
    for k in prestart createRuntime createContainer poststart poststop; do
        f=$TEST_DIR/state.$k.json
        cat "$f"
        jq -e --arg id "$CID" --arg b "$BUNDLE" '.id == $id and .bundle == $b and (.ociVersion | type) == "string"' "$f"
    done
    jq -e '.pid > 0' "$TEST_DIR/state.createRuntime.json"
    jq -e '.status == "creating" or .status == "created"' "$TEST_DIR/state.createRuntime.json"
    jq -e '.status == "running"' "$TEST_DIR/state.poststart.json"
    jq -e '.status == "stopped"' "$TEST_DIR/state.poststop.json"
    cat "$ROOTFS/state.startContainer.json"
    jq -e --arg id "$CID" '.id == $id and .pid > 0' "$ROOTFS/state.startContainer.json"
}

@test "hooks: the pid in the state of createRuntime is the container's init" {
    add_hook createRuntime "$(hook createRuntime)"
    set_cmd 'exec sleep 100'
    hull create -b "$BUNDLE" "$CID"
    [ "$(jq .pid "$TEST_DIR/state.createRuntime.json")" = "$(pid_of "$CID")" ]
}

@test "hooks: run calls them too, poststop after the process exits" {
    for k in prestart createRuntime createContainer poststart poststop; do
        add_hook $k "$(hook $k)"
    done
    add_hook startContainer "$START_HOOK"
    run_container 'echo user-process >> /hooks.log'
    [ "$status" -eq 0 ]
    [ "$(cat "$LOG" | xargs)" = "prestart createRuntime createContainer poststart poststop" ]
    [ "$(cat "$ROOTFS/hooks.log" | xargs)" = "startContainer user-process" ]
}

@test "hooks: several hooks of one kind run in order" {
    for i in 1 2 3; do
        add_hook createRuntime "{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"echo $i >> $LOG\"]}"
    done
    run_container 'true'
    [ "$status" -eq 0 ]
    [ "$(cat "$LOG" | xargs)" = "1 2 3" ]
}

@test "hooks: args (with args[0]) and exactly env reach the hook" {
    add_hook createRuntime "{\"path\": \"/bin/sh\",
        \"args\": [\"zero\", \"-c\", \"echo \\\"\$0|\$1|\$2\\\" >> $LOG; env | sort >> $LOG\", \"one\", \"two words\"],
        \"env\": [\"FOO=bar\", \"HOOKVAR=x y\"]}"
    HULLTEST_SECRET=leak run_container 'true'
    [ "$status" -eq 0 ]
    cat "$LOG"
    # sh -c SCRIPT ARG0 ARG1: "one" is $0 inside the script
    [ "$(sed -n 1p "$LOG")" = "one|two words|" ]
    grep -qx 'FOO=bar' "$LOG"
    grep -qx 'HOOKVAR=x y' "$LOG"
    ! grep -q HULLTEST_SECRET "$LOG" || false
}

@test "hooks: createContainer runs in the container's mount namespace, before pivot_root" {
    update_config '.mounts += [{"destination": "/marker-mount", "type": "tmpfs", "source": "tmpfs"}]'
    add_hook createContainer "{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"readlink /proc/self/ns/mnt >> $LOG; grep -c marker-mount /proc/self/mountinfo >> $LOG\"]}"
    add_hook createRuntime "{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"readlink /proc/self/ns/mnt >> $LOG\"]}"
    set_cmd 'exec sleep 100'
    hull create -b "$BUNDLE" "$CID"
    pid=$(pid_of "$CID")
    cat "$LOG"
    # createContainer: the container's mount namespace, with its mounts; createRuntime: the host's
    [ "$(sed -n 1p "$LOG")" = "$(readlink /proc/$$/ns/mnt)" ]
    [ "$(sed -n 2p "$LOG")" = "$(readlink /proc/$pid/ns/mnt)" ]
    [ "$(sed -n 3p "$LOG")" -ge 1 ]
}

@test "hooks: a failing prestart hook: create fails naming it, nothing is left, poststop runs" {
    add_hook prestart "$(failing_hook 3)"
    add_hook poststop "$(hook poststop)"
    set_cmd 'echo ran > /ran'
    run_hull create -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    echo "$output"
    [[ "$output" == *prestart* ]]
    [[ "$output" == *3* ]]
    [ ! -e "$ROOTFS/ran" ]
    assert_nothing_left
    grep -qx poststop "$LOG"
}

@test "hooks: a failing createRuntime hook: create fails, nothing is left" {
    add_hook createRuntime "$(failing_hook 1)"
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *createRuntime* ]]
    assert_nothing_left
}

@test "hooks: a failing createContainer hook: create fails, nothing is left" {
    add_hook createContainer "$(failing_hook 1)"
    run_hull create -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *createContainer* ]]
    assert_nothing_left
}

@test "hooks: a failing startContainer hook: start fails, the process never runs" {
    add_hook startContainer "$(failing_hook 4)"
    set_cmd 'echo ran > /ran; exec sleep 100'
    hull create -b "$BUNDLE" "$CID"
    run_hull start "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *startContainer* ]]
    sleep 0.5
    [ ! -e "$ROOTFS/ran" ]
    run status_of "$CID"
    [ "$output" != running ]
}

@test "hooks: a failing poststart hook: start fails and the container is stopped" {
    add_hook poststart "$(failing_hook 5)"
    set_cmd 'exec sleep 100'
    hull create -b "$BUNDLE" "$CID"
    pid=$(pid_of "$CID")
    run_hull start "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *poststart* ]]
    wait_for process_gone "$pid"
}

@test "hooks: a failing poststop hook is a warning: delete succeeds, later hooks still run" {
    add_hook poststop "$(failing_hook 6)"
    add_hook poststop "$(hook poststop)"
    set_cmd 'true'
    hull run -d -b "$BUNDLE" "$CID"
    wait_for status_is "$CID" stopped
    run_hull delete "$CID"
    [ "$status" -eq 0 ]
    grep -qx poststop "$LOG"
    run_hull state "$CID"
    [ "$status" -ne 0 ]
}

@test "hooks: a hook that exceeds its timeout is killed and the create fails" {
    marker=29.$RANDOM
    add_hook createRuntime "{\"path\": \"/bin/sleep\", \"args\": [\"sleep\", \"$marker\"], \"timeout\": 1}"
    start=$(date +%s)
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [ $(($(date +%s) - start)) -lt 20 ]
    [[ "$output" == *createRuntime* ]]
    [[ "$output" == *time* ]]
    assert_nothing_left
    # the hook was killed, not left running
    ! pgrep -f "^sleep $marker\$" >/dev/null || false
}

@test "hooks: a hook that finishes within its timeout is fine" {
    add_hook createRuntime '{"path": "/bin/sleep", "args": ["sleep", "0.2"], "timeout": 5}'
    run_container 'true'
    [ "$status" -eq 0 ]
}

@test "hooks: a hook path that does not exist fails the create, naming it" {
    add_hook createRuntime "{\"path\": \"$TEST_DIR/no-such-hook\"}"
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *no-such-hook* ]]
    assert_nothing_left
}

@test "hooks: a relative hook path is rejected before anything is made" {
    add_hook createRuntime '{"path": "bin/true"}'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"hooks.createRuntime[0]"* ]]
    assert_nothing_left
}

@test "hooks: timeout 0 is rejected" {
    add_hook createRuntime '{"path": "/bin/true", "timeout": 0}'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *timeout* ]]
    assert_nothing_left
}
