#!/usr/bin/env bats
# Bad input: a non-zero exit, a message that names what is wrong, and nothing left behind (no
# state dir, cgroup, mount or process) - for create and for run.

load helpers

# expect_failure WHAT...: `hull create` and `hull run` of the bundle both fail, their message
# contains every WHAT, and nothing is left.
expect_failure() {
    local cmd
    for cmd in create run; do
        run_hull $cmd -b "$BUNDLE" "$CID"
        [ "$status" -ne 0 ] || { echo "hull $cmd succeeded"; return 1; }
        local w
        for w in "$@"; do
            [[ "$output" == *"$w"* ]] || { echo "hull $cmd: the message does not name '$w'"; return 1; }
        done
        assert_nothing_left
    done
}

@test "bad input: malformed JSON" {
    printf '{"ociVersion": "1.0.2", "process": {"args": ["sh"' > "$BUNDLE/config.json"
    expect_failure config.json
}

@test "bad input: not a JSON object" {
    echo '["a", "list"]' > "$BUNDLE/config.json"
    expect_failure config.json
}

@test "bad input: no config.json in the bundle" {
    rm "$BUNDLE/config.json"
    expect_failure config.json
}

@test "bad input: a bundle directory that does not exist" {
    run_hull run -b "$TEST_DIR/no-such-bundle" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *no-such-bundle* ]]
    assert_nothing_left
}

@test "bad input: wrong type: process.args is a string" {
    update_config '.process.args = "sh -c true"'
    expect_failure process.args
}

@test "bad input: wrong type: process.user.uid is a string" {
    update_config '.process.user.uid = "root"'
    expect_failure process.user.uid
}

@test "bad input: wrong type: linux.namespaces is an object" {
    update_config '.linux.namespaces = {"type": "pid"}'
    expect_failure linux.namespaces
}

@test "bad input: wrong type: a negative uid" {
    update_config '.process.user.uid = -1'
    expect_failure process.user.uid
}

@test "bad input: wrong type: mounts[1].options is a string" {
    update_config '.mounts[1].options = "nosuid"'
    expect_failure "mounts[1].options"
}

@test "bad input: ociVersion missing" {
    update_config 'del(.ociVersion)'
    expect_failure ociVersion
}

@test "bad input: root missing" {
    update_config 'del(.root)'
    expect_failure root
}

@test "bad input: a rootfs that does not exist" {
    update_config '.root.path = "no-such-rootfs"'
    expect_failure no-such-rootfs
}

@test "bad input: a rootfs that is a file" {
    touch "$BUNDLE/rootfs-file"
    update_config '.root.path = "rootfs-file"'
    expect_failure rootfs-file
}

@test "bad input: an executable that does not exist (absolute path)" {
    update_config '.process.args = ["/no/such/binary", "arg"]'
    expect_failure /no/such/binary
}

@test "bad input: an executable not found in PATH" {
    update_config '.process.args = ["no-such-command"]'
    expect_failure no-such-command
}

@test "bad input: an executable that is not executable" {
    update_config '.process.args = ["/etc/passwd"]'
    expect_failure /etc/passwd
}

@test "bad input: empty process.args" {
    update_config '.process.args = []'
    expect_failure process.args
}

@test "bad input: a cwd that is not absolute" {
    update_config '.process.cwd = "relative/dir"'
    expect_failure process.cwd relative/dir
}

@test "bad input: an invalid id" {
    for id in "a/b" ".."; do
        run_hull run -b "$BUNDLE" "$id"
        [ "$status" -ne 0 ]
        [[ "$output" == *"$id"* ]] || [[ "$output" == *" id"* ]]
    done
    assert_nothing_left
    [ ! -e "$ROOT/a" ]
}

@test "bad input: a duplicate id leaves the existing container alone" {
    set_cmd 'exec sleep 100'
    hull create -b "$BUNDLE" "$CID"
    pid=$(pid_of "$CID")
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"$CID"* ]]
    [ "$(status_of "$CID")" = created ]
    kill -0 "$pid"
    # still exactly one cgroup per hierarchy for it, with its pid
    for d in $(cgroup_dirs_of "$pid"); do grep -qx "$pid" "$d/cgroup.procs"; done
}

@test "bad input: an unknown namespace type" {
    update_config '.linux.namespaces += [{"type": "foo"}]'
    n=$(jq '.linux.namespaces | length - 1' "$BUNDLE/config.json")
    expect_failure "linux.namespaces[$n].type" foo
}

@test "bad input: an unknown capability" {
    update_config '.process.capabilities.effective += ["CAP_BOGUS"]'
    expect_failure process.capabilities.effective CAP_BOGUS
}

@test "bad input: an unknown rlimit" {
    update_config '.process.rlimits = [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]'
    expect_failure "process.rlimits[0]" RLIMIT_BOGUS
}

@test "bad input: an unknown mount propagation" {
    update_config '.linux.rootfsPropagation = "sideways"'
    expect_failure linux.rootfsPropagation sideways
}

@test "bad input: a mount without destination" {
    update_config '.mounts += [{"type": "tmpfs", "source": "tmpfs"}]'
    n=$(jq '.mounts | length - 1' "$BUNDLE/config.json")
    expect_failure "mounts[$n]" destination
}

@test "bad input: a relative mount destination that climbs out of the rootfs" {
    update_config '.mounts += [{"destination": "../../../../outside", "type": "tmpfs", "source": "tmpfs"}]'
    n=$(jq '.mounts | length - 1' "$BUNDLE/config.json")
    expect_failure "mounts[$n]"
    [ ! -e "$TEST_DIR/outside" ]
}

@test "bad input: uidMappings without a user namespace" {
    update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 1000}]'
    expect_failure uidMappings
}

@test "bad input: a failing hook" {
    update_config '.hooks.createRuntime = [{"path": "/bin/false"}]'
    expect_failure createRuntime /bin/false
}

@test "bad input: the failure of the container's setup (a mount that fails) leaves nothing" {
    update_config '.mounts += [{"destination": "/x", "type": "bind", "source": "/no/such/source", "options": ["bind"]}]'
    expect_failure /no/such/source
}

@test "good input: unknown properties are ignored, as the spec requires" {
    update_config '.futureField = {"x": 1} | .process.futureProcessField = [1, 2] | .linux.futureLinuxField = "y"
        | .mounts[0].futureMountField = true'
    run_container 'echo fine'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = fine ]
}

@test "good input: ociVersion 1.0.0 and 1.3.0 are both accepted" {
    for v in 1.0.0 1.1.0 1.2.0 1.3.0; do
        update_config '.ociVersion = $v' --arg v "$v"
        run_container 'true'
        [ "$status" -eq 0 ]
    done
}

@test "bad input: a NUL escaped in a string (a path cut short by it) is refused" {
    # yajl would hand "/tmp" to the mount code for "/tmp\u0000/../../etc"
    update_config '.mounts += [{"destination": "/tmpX", "type": "tmpfs", "source": "tmpfs"}]'
    sed -i 's|"/tmpX"|"/tmp\\u0000/../../etc"|' "$BUNDLE/config.json"
    grep -qF '\u0000' "$BUNDLE/config.json"
    expect_failure config.json 'u0000 (NUL)'
}
