#!/usr/bin/env bats
# The command line: --version, --help, logging, spec, features, global options.

load helpers

@test "cli: --version has runc's shape (version, commit, spec, libseccomp)" {
    run "$HULL" --version
    [ "$status" -eq 0 ]
    echo "$output"
    [[ "${lines[0]}" =~ ^[a-z]+\ version\ [0-9]+\.[0-9]+\.[0-9]+ ]]
    [[ "${lines[1]}" =~ ^commit:\ .+ ]]
    [[ "${lines[2]}" =~ ^spec:\ 1\.[0-9]+\.[0-9]+ ]]
    grep -Eqx 'libseccomp: [0-9]+\.[0-9]+\.[0-9]+' <<< "$output"
}

@test "cli: --help lists every command and exits 0" {
    run "$HULL" --help
    [ "$status" -eq 0 ]
    for c in create start run state kill delete list spec features; do
        grep -qw "$c" <<< "$output" || { echo "--help does not mention $c"; false; }
    done
}

@test "cli: COMMAND --help exits 0 and shows the command's options" {
    for c in create start run state kill delete list spec features; do
        run "$HULL" "$c" --help
        echo "$c: $status"
        [ "$status" -eq 0 ]
        [ -n "$output" ]
    done
    run "$HULL" create --help
    for o in --bundle --pid-file --console-socket --preserve-fds --no-pivot --no-new-keyring; do
        grep -q -- "$o" <<< "$output" || { echo "create --help lacks $o"; false; }
    done
    run "$HULL" run --help
    for o in --detach --keep --bundle; do grep -q -- "$o" <<< "$output"; done
    run "$HULL" delete --help
    grep -q -- --force <<< "$output"
    run "$HULL" kill --help
    grep -q -- --all <<< "$output"
    run "$HULL" list --help
    grep -q -- --format <<< "$output"
    grep -q -- --quiet <<< "$output"
}

@test "cli: an unknown command is an error naming it" {
    run "$HULL" --root "$ROOT" frobnicate
    [ "$status" -ne 0 ]
    [[ "$output" == *frobnicate* ]]
}

@test "cli: an unknown option is an error naming it" {
    run "$HULL" --root "$ROOT" create --no-such-option x
    [ "$status" -ne 0 ]
    [[ "$output" == *no-such-option* ]]
    run "$HULL" --no-such-global list
    [ "$status" -ne 0 ]
    [[ "$output" == *no-such-global* ]]
}

@test "cli: commands that need an id say so" {
    for c in create start state delete kill; do
        run "$HULL" --root "$ROOT" $c
        echo "$c: $status $output"
        [ "$status" -ne 0 ]
    done
}

@test "cli: --log-format json writes {level, msg, time} lines to --log" {
    run "$HULL" --root "$ROOT" --log "$TEST_DIR/log.json" --log-format json state no-such-container
    [ "$status" -ne 0 ]
    cat "$TEST_DIR/log.json"
    last=$(tail -n 1 "$TEST_DIR/log.json")
    jq -e '.level == "error" and (.msg | contains("no-such-container"))
        and (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"))' <<< "$last"
    # every line is a JSON object
    while IFS= read -r l; do jq -e 'type == "object"' <<< "$l" > /dev/null; done < "$TEST_DIR/log.json"
}

@test "cli: --log appends, --log-format text is the default" {
    echo "earlier line" > "$TEST_DIR/log.txt"
    run "$HULL" --root "$ROOT" --log "$TEST_DIR/log.txt" state no-such-container
    [ "$status" -ne 0 ]
    cat "$TEST_DIR/log.txt"
    [ "$(head -n 1 "$TEST_DIR/log.txt")" = "earlier line" ]
    tail -n 1 "$TEST_DIR/log.txt" | grep -q no-such-container
    # not JSON
    ! tail -n 1 "$TEST_DIR/log.txt" | jq -e . > /dev/null 2>&1 || false
}

@test "cli: a container's setup error reaches the json log" {
    update_config '.process.args = ["/no/such/binary"]'
    run "$HULL" --root "$ROOT" --log "$TEST_DIR/log.json" --log-format json run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    cat "$TEST_DIR/log.json"
    tail -n 1 "$TEST_DIR/log.json" | jq -e '.level == "error" and (.msg | contains("/no/such/binary"))'
    assert_nothing_left
}

@test "cli: an unknown --log-format is an error" {
    run "$HULL" --root "$ROOT" --log-format xml list
    [ "$status" -ne 0 ]
    [[ "$output" == *xml* ]]
}

@test "cli: --debug logs debug lines and changes nothing else" {
    run "$HULL" --root "$ROOT" --debug --log "$TEST_DIR/debug.json" --log-format json run -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    grep -q '"level":"debug"' "$TEST_DIR/debug.json" || grep -q '"level": "debug"' "$TEST_DIR/debug.json"
}

@test "cli: --systemd-cgroup is a clear error where systemd does not run" {
    [ ! -d /run/systemd/system ] || skip "systemd runs on this machine"
    run "$HULL" --root "$ROOT" --systemd-cgroup run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *systemd* ]]
    assert_nothing_left
}

@test "cli: --cgroup-manager (podman's): cgroupfs is the default, systemd and bad values are clear errors" {
    set_cmd 'echo ran'
    run "$HULL" --root "$ROOT" --cgroup-manager cgroupfs run -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    [ "$output" = ran ]
    run "$HULL" --root "$ROOT" --cgroup-manager bogus run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *'--cgroup-manager: expected cgroupfs, systemd or disabled, got "bogus"'* ]]
    if [ ! -d /run/systemd/system ]; then
        run "$HULL" --root "$ROOT" --cgroup-manager systemd run -b "$BUNDLE" "$CID"
        [ "$status" -ne 0 ]
        [[ "$output" == *systemd* ]]
    fi
    assert_nothing_left
}

@test "cli: --root is created when missing, and is where the state goes" {
    set_cmd 'exec sleep 100'
    "$HULL" --root "$TEST_DIR/newroot/sub" run -d -b "$BUNDLE" "$CID"
    on_teardown "'$HULL' --root '$TEST_DIR/newroot/sub' delete --force '$CID'"
    [ -d "$TEST_DIR/newroot/sub/$CID" ]
    run "$HULL" --root "$TEST_DIR/newroot/sub" list -q
    [ "$output" = "$CID" ]
    # not under the test's own root
    run_hull list -q
    [ -z "$output" ]
}

@test "spec: writes config.json in the current directory; it is valid against the schema" {
    requires jsonschema
    mkdir "$TEST_DIR/s"
    cd "$TEST_DIR/s"
    "$HULL" spec
    validate_schema config-schema.json "$TEST_DIR/s/config.json"
    jq -e '.root.path == "rootfs" and (.process.args | length) > 0 and (.linux.namespaces | map(.type) | index("mount")) != null' config.json
}

@test "spec --bundle DIR writes there; an existing config.json is not overwritten" {
    mkdir "$TEST_DIR/s"
    "$HULL" spec --bundle "$TEST_DIR/s"
    [ -s "$TEST_DIR/s/config.json" ]
    echo '{"mine": true}' > "$TEST_DIR/s/config.json"
    run "$HULL" spec --bundle "$TEST_DIR/s"
    [ "$status" -ne 0 ]
    [ "$(cat "$TEST_DIR/s/config.json")" = '{"mine": true}' ]
}

@test "spec --rootless adds a user namespace mapping the caller's ids" {
    mkdir "$TEST_DIR/s"
    "$HULL" spec --rootless --bundle "$TEST_DIR/s"
    jq -e --argjson u "$(id -u)" --argjson g "$(id -g)" '
        (.linux.namespaces | map(.type) | index("user")) != null
        and .linux.uidMappings[0].hostID == $u and .linux.gidMappings[0].hostID == $g' "$TEST_DIR/s/config.json"
}

@test "spec: the default spec runs as it is (terminal off)" {
    rm "$BUNDLE/config.json"
    "$HULL" spec --bundle "$BUNDLE"
    update_config '.process.terminal = false | .process.args = ["sh", "-c", "echo default-spec-ran"]'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    [ "$output" = default-spec-ran ]
}

@test "features: a valid features document naming what hull supports" {
    run "$HULL" features
    [ "$status" -eq 0 ]
    echo "$output" > "$TEST_DIR/features.json"
    jq -e '
        (.ociVersionMin | test("^1\\.0\\.")) and (.ociVersionMax | test("^1\\."))
        and ((.hooks | sort) == (["createContainer", "createRuntime", "poststart", "poststop", "prestart", "startContainer"]))
        and (.mountOptions | index("rro")) != null and (.mountOptions | index("tmpcopyup")) != null
        and ((.linux.namespaces | sort) == (["cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"]))
        and (.linux.capabilities | index("CAP_SYS_ADMIN")) != null' "$TEST_DIR/features.json"
}

@test "features: validates against features-schema.json" {
    requires jsonschema
    "$HULL" features > "$TEST_DIR/features.json"
    validate_schema features-schema.json "$TEST_DIR/features.json"
}
