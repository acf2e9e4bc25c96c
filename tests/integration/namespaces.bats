#!/usr/bin/env bats
# Namespaces: new ones where config.json lists them, shared with the caller where it does not,
# joined by path, user id mappings and time offsets.

load helpers

# The /proc/self/ns link of each type, inside the container, as "type:[inode]" lines.
NS_SCRIPT='for n in pid uts ipc net mnt cgroup user time; do [ -e /proc/self/ns/$n ] && echo "$n $(readlink /proc/self/ns/$n)"; done'

# ns_inside TYPE: the container's link for TYPE (from $output of a run of NS_SCRIPT).
ns_inside() {
    grep "^$1 " <<< "$output" | cut -d' ' -f2
}

ns_host() {
    readlink "/proc/$$/ns/$1"
}

# ns_differs PID TYPE: PID is in another TYPE namespace than this shell (for wait_for).
ns_differs() {
    [ "$(readlink "/proc/$1/ns/$2")" != "$(ns_host "$2")" ]
}

@test "namespaces: pid, uts, ipc, net, mnt, cgroup listed: all new" {
    requires cgroupns
    update_config '.linux.namespaces += [{"type": "cgroup"}]'
    run_container "$NS_SCRIPT"
    [ "$status" -eq 0 ]
    for n in pid uts ipc net mnt cgroup; do
        echo "$n: inside $(ns_inside $n) host $(ns_host $n)"
        [ -n "$(ns_inside $n)" ]
        [ "$(ns_inside $n)" != "$(ns_host $n)" ]
    done
    # not listed: shared
    [ "$(ns_inside user)" = "$(ns_host user)" ]
    [ ! -e /proc/self/ns/time ] || [ "$(ns_inside time)" = "$(ns_host time)" ]
}

@test "namespaces: the container's init is pid 1 in a new pid namespace" {
    run_container 'echo $$; ps -o pid,comm | wc -l'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 1 ]
}

@test "namespaces: one left out is shared with the caller (net, ipc, uts, pid, cgroup)" {
    for n in network ipc uts pid; do
        setup_bundle "$TEST_DIR/b-$n"
        update_config --bundle "$TEST_DIR/b-$n" '.linux.namespaces |= map(select(.type != $n)) | del(.hostname)' --arg n "$n"
        update_config --bundle "$TEST_DIR/b-$n" '.process.args = ["sh", "-c", $s]' --arg s "$NS_SCRIPT"
        run_hull run -b "$TEST_DIR/b-$n" "$ID_PREFIX$n"
        [ "$status" -eq 0 ]
        short=$n; [ $n = network ] && short=net
        echo "$n: inside $(ns_inside $short) host $(ns_host $short)"
        [ "$(ns_inside $short)" = "$(ns_host $short)" ]
        # the others are still new
        [ $n = network ] || [ "$(ns_inside net)" != "$(ns_host net)" ]
        [ $n = ipc ] || [ "$(ns_inside ipc)" != "$(ns_host ipc)" ]
    done
    # cgroup: not in the template, so shared
    run_container "$NS_SCRIPT"
    [ "$(ns_inside cgroup)" = "$(ns_host cgroup)" ]
}

@test "namespaces: uts: hostname and domainname are the container's own" {
    update_config '.hostname = "box-one" | .domainname = "example.test"'
    run_container 'hostname; cat /proc/sys/kernel/domainname'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = box-one ]
    [ "${lines[1]}" = example.test ]
    [ "$(hostname)" != box-one ]
}

@test "namespaces: net: only a loopback device, and it is up" {
    run_container 'ls /sys/class/net; ip link show lo 2>/dev/null || cat /sys/class/net/lo/operstate'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = lo ]
    # nothing but lo
    [ "$(grep -cv '^lo$' <<< "$(printf '%s\n' "${lines[@]}" | sed -n '1p')")" = 0 ]
}

@test "namespaces: ipc: a SysV segment of the host is not visible" {
    run_container 'cat /proc/sysvipc/shm | wc -l'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" -le 1 ]
}

@test "namespaces: user: uid/gid mappings written, root inside is 100000 outside" {
    requires userns
    update_config '.linux.namespaces += [{"type": "user"}]
        | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
        | .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
    set_cmd 'cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID" > "$TEST_DIR/out" 2>&1
    wait_for grep -q . "$TEST_DIR/out"
    sleep 0.3
    cat "$TEST_DIR/out"
    read -r a b c < <(sed -n 1p "$TEST_DIR/out")
    [ "$a $b $c" = "0 100000 65536" ]
    read -r a b c < <(sed -n 2p "$TEST_DIR/out")
    [ "$a $b $c" = "0 200000 65536" ]
    [ "$(sed -n 3p "$TEST_DIR/out")" = 0 ]
    [ "$(sed -n 4p "$TEST_DIR/out")" = 0 ]
    pid=$(pid_of "$CID")
    # seen from the host
    [ "$(awk '/^Uid:/ { print $2 }' /proc/$pid/status)" = 100000 ]
    [ "$(awk '/^Gid:/ { print $2 }' /proc/$pid/status)" = 200000 ]
    [ "$(readlink /proc/$pid/ns/user)" != "$(ns_host user)" ]
}

@test "namespaces: user: without mappings in config.json is an error" {
    requires userns
    update_config '.linux.namespaces += [{"type": "user"}] | del(.linux.uidMappings, .linux.gidMappings)'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *Mappings* ]] || [[ "$output" == *mapping* ]]
}

@test "namespaces: time: offsets show in /proc/uptime and the clocks" {
    requires timens
    update_config '.linux.namespaces += [{"type": "time"}]
        | .linux.timeOffsets = {"boottime": {"secs": 864000, "nanosecs": 0}, "monotonic": {"secs": 432000, "nanosecs": 0}}'
    host_up=$(cut -d. -f1 /proc/uptime)
    run_container "cut -d. -f1 /proc/uptime; $NS_SCRIPT"
    [ "$status" -eq 0 ]
    inside=${lines[0]}
    echo "host uptime $host_up, inside $inside"
    [ "$inside" -ge $((host_up + 864000 - 5)) ]
    [ "$inside" -le $((host_up + 864000 + 60)) ]
    [ "$(ns_inside time)" != "$(ns_host time)" ]
}

@test "namespaces: time: timeOffsets without a time namespace is an error" {
    requires timens
    update_config '.linux.timeOffsets = {"boottime": {"secs": 10, "nanosecs": 0}}'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *timeOffsets* ]] || [[ "$output" == *time* ]]
}

@test "namespaces: join the net and ipc namespaces of another container by path" {
    update_config '.process.args = ["sleep", "100"]'
    hull run -d -b "$BUNDLE" "$CID"
    apid=$(pid_of "$CID")
    setup_bundle "$TEST_DIR/b2"
    update_config --bundle "$TEST_DIR/b2" '.linux.namespaces |= map(
            if .type == "network" then .path = $net elif .type == "ipc" then .path = $ipc else . end)
        | .process.args = ["sh", "-c", $s]' \
        --arg net "/proc/$apid/ns/net" --arg ipc "/proc/$apid/ns/ipc" --arg s "$NS_SCRIPT"
    run_hull run -b "$TEST_DIR/b2" "${ID_PREFIX}b"
    [ "$status" -eq 0 ]
    [ "$(ns_inside net)" = "$(readlink /proc/$apid/ns/net)" ]
    [ "$(ns_inside ipc)" = "$(readlink /proc/$apid/ns/ipc)" ]
    [ "$(ns_inside uts)" != "$(readlink /proc/$apid/ns/uts)" ]
}

@test "namespaces: join the namespaces of an unshare'd process by path" {
    unshare --net --uts --ipc sleep 100 3>&- &
    upid=$!
    on_teardown "kill $upid"
    wait_for ns_differs "$upid" net
    update_config '.linux.namespaces |= map(
            if .type == "network" then .path = "/proc/\($p)/ns/net"
            elif .type == "uts" then .path = "/proc/\($p)/ns/uts"
            elif .type == "ipc" then .path = "/proc/\($p)/ns/ipc" else . end) | del(.hostname)' --arg p "$upid"
    run_container "$NS_SCRIPT"
    [ "$status" -eq 0 ]
    for n in net uts ipc; do
        [ "$(ns_inside $n)" = "$(readlink /proc/$upid/ns/$n)" ]
    done
}

@test "namespaces: join a named network namespace (ip netns) by path" {
    requires ip
    ns=${ID_PREFIX}ns
    ip netns add "$ns"
    on_teardown "ip netns del $ns"
    update_config '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)' --arg p "/run/netns/$ns"
    run_container "$NS_SCRIPT"
    [ "$status" -eq 0 ]
    [ "$(ns_inside net)" = "net:[$(stat -L -c %i /run/netns/$ns)]" ]
}

@test "namespaces: a path of the wrong type is an error and nothing is left" {
    update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/ipc" else . end)'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    echo "$output"
    [[ "$output" == *"linux.namespaces"* ]] || [[ "$output" == *network* ]] || [[ "$output" == *net* ]]
    assert_nothing_left
}

@test "namespaces: a path that does not exist is an error and nothing is left" {
    update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/999999999/ns/net" else . end)'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == */proc/999999999/ns/net* ]]
    assert_nothing_left
}

@test "namespaces: an unknown type is an error naming it" {
    update_config '.linux.namespaces += [{"type": "foo"}]'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *foo* ]]
    assert_nothing_left
}

@test "namespaces: the same type twice is an error" {
    update_config '.linux.namespaces += [{"type": "ipc"}]'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *ipc* ]]
    assert_nothing_left
}

@test "namespaces: cgroup: the container sees its own cgroup as /" {
    requires cgroupns
    update_config '.linux.namespaces += [{"type": "cgroup"}]'
    run_container 'cat /proc/self/cgroup'
    [ "$status" -eq 0 ]
    # every hierarchy's path is the namespace root
    for l in "${lines[@]}"; do
        [ "${l#*:*:}" = / ]
    done
}

@test "namespaces: mount: the container's mounts do not show on the host" {
    update_config '.mounts += [{"destination": "/mnt", "type": "tmpfs", "source": "tmpfs"}]'
    run_container 'grep -c " /mnt " /proc/self/mountinfo'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" -ge 1 ]
    [ -z "$(mounts_under "$BUNDLE")" ]
}
