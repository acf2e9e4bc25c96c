#!/usr/bin/env bats
# state (the spec's state document) and list (table, json, quiet).

load helpers

@test "state: the document of a created container validates against state-schema.json" {
    requires jsonschema
    set_cmd 'exec sleep 100'
    update_config '.annotations = {"org.example.key": "value", "other": "x y"}'
    hull create -b "$BUNDLE" "$CID"
    hull state "$CID" > "$TEST_DIR/state.json"
    cat "$TEST_DIR/state.json"
    validate_schema state-schema.json "$TEST_DIR/state.json"
}

@test "state: the fields say what the container is" {
    set_cmd 'exec sleep 100'
    update_config '.annotations = {"org.example.key": "value"}'
    hull create --pid-file "$TEST_DIR/pid" -b "$BUNDLE" "$CID"
    hull state "$CID" > "$TEST_DIR/state.json"
    jq -e --arg id "$CID" --arg b "$BUNDLE" --argjson pid "$(cat "$TEST_DIR/pid")" '
        .id == $id and .status == "created" and .pid == $pid and .bundle == $b
        and (.ociVersion | test("^1\\.[0-9]+\\.[0-9]+"))
        and .annotations["org.example.key"] == "value"' "$TEST_DIR/state.json"
}

@test "state: running and stopped documents validate too" {
    requires jsonschema
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    hull state "$CID" > "$TEST_DIR/running.json"
    validate_schema state-schema.json "$TEST_DIR/running.json"
    jq -e '.status == "running" and .pid > 0' "$TEST_DIR/running.json"
    hull kill "$CID" KILL
    wait_for status_is "$CID" stopped
    hull state "$CID" > "$TEST_DIR/stopped.json"
    validate_schema state-schema.json "$TEST_DIR/stopped.json"
}

@test "state: the bundle is an absolute path even when given relative" {
    set_cmd 'exec sleep 100'
    cd "$TEST_DIR"
    hull create -b bundle "$CID"
    [ "$(hull state "$CID" | jq -r .bundle)" = "$BUNDLE" ]
}

@test "state: needs exactly one id" {
    run_hull state
    [ "$status" -ne 0 ]
}

@test "list: no containers: an empty table, an empty JSON list, nothing with -q" {
    run_hull list
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -le 1 ]
    run_hull list --format json
    [ "$status" -eq 0 ]
    [ "$(jq -c 'if . == null then [] else . end' <<< "$output")" = "[]" ]
    run_hull list -q
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "list: two containers in the table, the JSON and -q" {
    set_cmd 'exec sleep 100'
    hull create -b "$BUNDLE" "${ID_PREFIX}one"
    hull run -d -b "$BUNDLE" "${ID_PREFIX}two"
    pid1=$(pid_of "${ID_PREFIX}one")
    pid2=$(pid_of "${ID_PREFIX}two")

    run_hull list -q
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "${lines[@]}" | sort | xargs)" = "${ID_PREFIX}one ${ID_PREFIX}two" ]
    run_hull list --quiet
    [ "${#lines[@]}" -eq 2 ]

    run_hull list
    [ "$status" -eq 0 ]
    read -r -a header <<< "${lines[0]}"
    [ "${header[*]}" = "ID PID STATUS BUNDLE CREATED OWNER" ]
    grep -Eq "^${ID_PREFIX}one +$pid1 +created +$BUNDLE +[0-9]{4}-[0-9]{2}-[0-9]{2}T" <<< "$output"
    grep -Eq "^${ID_PREFIX}two +$pid2 +running +$BUNDLE +" <<< "$output"

    run_hull list --format json
    [ "$status" -eq 0 ]
    jq -e --arg a "${ID_PREFIX}one" --arg b "${ID_PREFIX}two" --argjson p1 "$pid1" --argjson p2 "$pid2" --arg bu "$BUNDLE" '
        length == 2
        and (map(select(.id == $a))[0] | .status == "created" and .pid == $p1 and .bundle == $bu)
        and (map(select(.id == $b))[0] | .status == "running" and .pid == $p2)
        and all(.[]; (.created | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")) and (.owner | type) == "string")' <<< "$output"
}

@test "list: a stopped container shows as stopped" {
    set_cmd 'true'
    hull run -d -b "$BUNDLE" "$CID"
    wait_for status_is "$CID" stopped
    run_hull list --format json
    jq -e --arg id "$CID" '.[] | select(.id == $id) | .status == "stopped"' <<< "$output"
}

@test "list: an unknown format is an error" {
    run_hull list --format yaml
    [ "$status" -ne 0 ]
    [[ "$output" == *yaml* ]]
}

@test "list: a --root that does not exist lists nothing" {
    run "$HULL" --root "$TEST_DIR/no-such-root" list -q
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}
