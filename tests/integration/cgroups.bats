#!/usr/bin/env bats
# cgroup placement (issue 2: no limits yet): the container's processes go into the cgroup that
# linux.cgroupsPath names on every hierarchy (every v1 one plus the unified one on a hybrid host,
# the unified one on cgroup v2); with no path or a relative one it nests under the caller's own
# cgroup; delete removes what was made and nothing else.

load helpers

# expect_cgroups PID PATH_FOR_CALLER_CGROUP: for every line of the caller's /proc/self/cgroup the
# container has a line for the same hierarchy whose path is what the function prints for the
# caller's path ($1 -> expected).  Usage: expect_cgroups PID rel SUFFIX | abs PATH
expect_cgroups() {
    local pid=$1 mode=$2 arg=$3 line hier path want got n=0
    while IFS= read -r line; do
        hier=${line#*:}; hier=${hier%%:*}
        path=${line#*:*:}
        case $mode in
            rel) want=${path%/}/$arg ;;
            abs) want=$arg ;;
        esac
        got=$(awk -F: -v h="$hier" '$2 == h { sub(/^[^:]*:[^:]*:/, ""); print; exit }' "/proc/$pid/cgroup")
        echo "hierarchy '$hier': caller $path, container $got, expected $want"
        [ "$got" = "$want" ] || return 1
        n=$((n + 1))
    done < "/proc/$$/cgroup"
    [ $n -ge 1 ]
}

# The caller's cgroup in the hierarchy that matters for placement rules on this host: the memory
# controller's on a v1/hybrid host (the supervisor's cgroup we must stay under), the unified one
# on cgroup v2.
caller_base() {
    if has_cgroup_v1; then own_cgroup memory; else own_cgroup ""; fi
}

# remove_new_cgroup_dirs: rmdir (deepest first) the empty cgroup directories that were not in
# $TEST_DIR/cgroups.before (what a runtime that leaves parents behind made).
remove_new_cgroup_dirs() {
    find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d 2>/dev/null | sort |
        comm -13 "$TEST_DIR/cgroups.before" - | sort -r | while IFS= read -r d; do
            rmdir "$d" 2>/dev/null
        done
}

@test "cgroups: no cgroupsPath: <caller's cgroup>/<id> on every hierarchy" {
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    pid=$(pid_of "$CID")
    expect_cgroups "$pid" rel "$CID"
    # and the directories exist on the host
    n=0
    while IFS= read -r d; do
        [ -d "$d" ]
        grep -qx "$pid" "$d/cgroup.procs"
        n=$((n + 1))
    done < <(cgroup_dirs_of "$pid")
    [ $n -ge 1 ]
}

@test "cgroups: every process of the container is in its cgroup" {
    update_config '.linux.namespaces |= map(select(.type != "pid"))'
    set_cmd 'sleep 100 & exec sleep 101'
    hull run -d -b "$BUNDLE" "$CID"
    pid=$(pid_of "$CID")
    for d in $(cgroup_dirs_of "$pid"); do
        wait_for line_count_is "$d/cgroup.procs" 2
    done
}

@test "cgroups: a relative cgroupsPath nests under the caller's cgroup" {
    update_config '.linux.cgroupsPath = $p' --arg p "${ID_PREFIX}rel/inner"
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    expect_cgroups "$(pid_of "$CID")" rel "${ID_PREFIX}rel/inner"
}

@test "cgroups: an absolute cgroupsPath is taken from each hierarchy's root" {
    base=$(caller_base)
    abs=${base%/}/${ID_PREFIX}abs/inner
    # the directories that do not exist yet on each hierarchy: delete must remove exactly those
    before=$(find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d 2>/dev/null | sort)
    echo "$before" > "$TEST_DIR/cgroups.before"
    on_teardown remove_new_cgroup_dirs
    update_config '.linux.cgroupsPath = $p' --arg p "$abs"
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    expect_cgroups "$(pid_of "$CID")" abs "$abs"
    hull delete --force "$CID"
    after=$(find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d 2>/dev/null | sort)
    diff <(echo "$before") <(echo "$after") | grep "^>" && return 1
    true
}

@test "cgroups: delete removes the cgroup on every hierarchy" {
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    dirs=$(cgroup_dirs_of "$(pid_of "$CID")")
    [ -n "$dirs" ]
    hull kill "$CID" KILL
    wait_for status_is "$CID" stopped
    # stopped: the cgroup is still there until delete
    for d in $dirs; do [ -d "$d" ]; done
    hull delete "$CID"
    for d in $dirs; do [ ! -e "$d" ]; done
}

@test "cgroups: run removes the cgroup when the container exits" {
    update_config '.linux.cgroupsPath = $p' --arg p "${ID_PREFIX}run"
    run_container 'cat /proc/self/cgroup'
    [ "$status" -eq 0 ]
    grep -q "${ID_PREFIX}run" <<< "$output"
    [ -z "$(find /sys/fs/cgroup -maxdepth 8 -name "${ID_PREFIX}*")" ]
}

@test "cgroups: a cgroup that already exists is used and kept; what hull made is removed" {
    # make "<caller>/<prefix>pre" on every hierarchy, as a parent an engine would own
    made=()
    for d in $(cgroup_dirs_of $$); do
        mkdir "$d/${ID_PREFIX}pre"
        made+=("$d/${ID_PREFIX}pre")
    done
    on_teardown "rmdir ${made[*]} 2>/dev/null"
    update_config '.linux.cgroupsPath = $p' --arg p "${ID_PREFIX}pre/c"
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    expect_cgroups "$(pid_of "$CID")" rel "${ID_PREFIX}pre/c"
    hull delete --force "$CID"
    for d in "${made[@]}"; do
        [ -d "$d" ]
        [ ! -e "$d/c" ]
    done
    rmdir "${made[@]}"
}

@test "cgroups: two containers under a parent hull made: the one that made it leaves it to the other when deleted first, and removes it when deleted last" {
    local parents=() d
    for d in $(cgroup_dirs_of $$); do parents+=("$d/${ID_PREFIX}shared"); done
    on_teardown "rmdir ${parents[*]/%//a} ${parents[*]/%//b} ${parents[*]} 2>/dev/null"
    set_cmd 'exec sleep 100'
    # a makes the parent, b finds it
    update_config '.linux.cgroupsPath = $p' --arg p "${ID_PREFIX}shared/a"
    hull run -d -b "$BUNDLE" "${ID_PREFIX}a"
    update_config '.linux.cgroupsPath = $p' --arg p "${ID_PREFIX}shared/b"
    hull run -d -b "$BUNDLE" "${ID_PREFIX}b"
    # a first: its own cgroup goes, the parent stays for b, and that is no error
    run_hull delete --force "${ID_PREFIX}a"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    for d in "${parents[@]}"; do
        [ ! -e "$d/a" ]
        [ -d "$d/b" ]
    done
    expect_cgroups "$(pid_of "${ID_PREFIX}b")" rel "${ID_PREFIX}shared/b"
    hull delete --force "${ID_PREFIX}b"
    # b did not make the parent: it stays (as runc and crun leave every parent)
    for d in "${parents[@]}"; do
        [ ! -e "$d/b" ]
        [ -d "$d" ]
    done
    # the other order: the last one out, which made it, removes it
    update_config '.linux.cgroupsPath = $p' --arg p "${ID_PREFIX}shared2/a"
    hull run -d -b "$BUNDLE" "${ID_PREFIX}a"
    update_config '.linux.cgroupsPath = $p' --arg p "${ID_PREFIX}shared2/b"
    hull run -d -b "$BUNDLE" "${ID_PREFIX}b"
    hull delete --force "${ID_PREFIX}b"
    hull delete --force "${ID_PREFIX}a"
    for d in "${parents[@]}"; do
        [ ! -e "${d}2" ]
        rmdir "$d"
    done
}

@test "cgroups: a systemd-style cgroupsPath without --systemd-cgroup is a clear error" {
    update_config '.linux.cgroupsPath = "system.slice:hull:abc"'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *cgroupsPath* ]] || [[ "$output" == *systemd* ]]
    assert_nothing_left
}

@test "cgroups: a cgroupsPath with .. is rejected" {
    update_config '.linux.cgroupsPath = $p' --arg p "../../${ID_PREFIX}up"
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *cgroupsPath* ]]
    assert_nothing_left
    [ -z "$(find /sys/fs/cgroup -maxdepth 8 -name "${ID_PREFIX}*")" ]
}

@test "cgroups: an empty linux.resources is accepted" {
    update_config '.linux.resources = {}'
    run_container 'true'
    [ "$status" -eq 0 ]
}

@test "cgroups: the container cannot see the host's cgroup tree through a cgroup namespace" {
    requires cgroupns
    update_config '.linux.namespaces += [{"type": "cgroup"}]'
    run_container 'cat /proc/self/cgroup'
    [ "$status" -eq 0 ]
    ! grep -q "$CID" <<< "$output" || false
}

@test "cgroups: --cgroup-manager disabled: no cgroup is made, the container stays in its creator's; exec, kill --all and delete work; pause, update, ps and events say why not" {
    set_cmd 'exec sleep 100'
    "$HULL" --root "$ROOT" --cgroup-manager disabled run -d -b "$BUNDLE" "$CID" < /dev/null > /dev/null 2>&1
    local pid
    pid=$(pid_of "$CID")
    [ -n "$pid" ]
    # the same cgroups as the shell that ran hull, on every hierarchy
    [ "$(cat /proc/$pid/cgroup)" = "$(cat /proc/$$/cgroup)" ]
    [ -z "$(find /sys/fs/cgroup -maxdepth 8 -type d -name "*$CID*" 2>/dev/null)" ]
    run_hull exec "$CID" echo from-exec
    [ "$status" -eq 0 ]
    [ "$output" = from-exec ]
    local cmd
    for cmd in "pause $CID" "update --memory 100M $CID" "ps $CID" "events --stats $CID" "exec --cgroup sub $CID true"; do
        run_hull $cmd
        echo "$cmd: $output"
        [ "$status" -ne 0 ]
        [[ "$output" == *"no cgroup of its own (created with --cgroup-manager disabled)"* ]]
    done
    run_hull state "$CID"
    [[ "$output" == *'"status": "running"'* ]]
    run_hull kill --all "$CID" KILL
    [ "$status" -eq 0 ]
    wait_for process_gone "$pid"
    run_hull delete "$CID"
    [ "$status" -eq 0 ]
    # delete --force of a running one
    "$HULL" --root "$ROOT" --cgroup-manager disabled run -d -b "$BUNDLE" "$CID" < /dev/null > /dev/null 2>&1
    pid=$(pid_of "$CID")
    run_hull delete --force "$CID"
    [ "$status" -eq 0 ]
    process_gone "$pid"
    assert_nothing_left
}

@test "cgroups: --cgroup-manager disabled with a resource limit is an error naming the field; nothing left" {
    update_config '.linux.resources.memory = {"limit": 104857600}'
    run "$HULL" --root "$ROOT" --cgroup-manager disabled run -b "$BUNDLE" "$CID"
    echo "$output"
    [ "$status" -ne 0 ]
    [[ "$output" == *"linux.resources.memory"*"no cgroup of its own"* ]]
    assert_nothing_left
}
