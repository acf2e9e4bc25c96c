#!/usr/bin/env bats
# /dev inside the container: the default devices, the /dev symlinks, linux.devices.

load helpers

# stat line of a path inside the container: "TYPE MAJOR:MINOR MODE UID GID" (major/minor in hex)
STAT='stat -c "%n %F %t:%T %a %u %g"'

@test "devices: the default devices exist with the right numbers and work" {
    run_container "for d in null zero full random urandom tty; do $STAT /dev/\$d; done;
        echo x > /dev/null && echo NULL-OK; head -c 4 /dev/zero | wc -c; head -c 4 /dev/urandom | wc -c"
    [ "$status" -eq 0 ]
    echo "$output"
    grep -qx '/dev/null character special file 1:3 666 0 0' <<< "$output"
    grep -qx '/dev/zero character special file 1:5 666 0 0' <<< "$output"
    grep -qx '/dev/full character special file 1:7 666 0 0' <<< "$output"
    grep -qx '/dev/random character special file 1:8 666 0 0' <<< "$output"
    grep -qx '/dev/urandom character special file 1:9 666 0 0' <<< "$output"
    grep -qx '/dev/tty character special file 5:0 666 0 0' <<< "$output"
    grep -qx NULL-OK <<< "$output"
    [ "$(grep -cx 4 <<< "$output")" = 2 ]
}

@test "devices: writing to /dev/full fails with ENOSPC" {
    run_container 'echo x > /dev/full 2>&1; echo rc=$?'
    grep -q 'rc=1' <<< "$output"
}

@test "devices: the /dev symlinks fd, stdin, stdout, stderr and ptmx" {
    run_container 'for l in fd stdin stdout stderr; do echo "$l -> $(readlink /dev/$l)"; done; ls -l /dev/ptmx; [ -c /dev/pts/ptmx ] && echo PTS-PTMX'
    [ "$status" -eq 0 ]
    echo "$output"
    grep -qx 'fd -> /proc/self/fd' <<< "$output"
    grep -qx 'stdin -> /proc/self/fd/0' <<< "$output"
    grep -qx 'stdout -> /proc/self/fd/1' <<< "$output"
    grep -qx 'stderr -> /proc/self/fd/2' <<< "$output"
    grep -q PTS-PTMX <<< "$output"
}

@test "devices: nothing else of the host's /dev" {
    run_container 'ls /dev'
    [ "$status" -eq 0 ]
    for d in "${lines[@]}"; do
        case "$d" in
            null|zero|full|random|urandom|tty|console|ptmx|pts|shm|mqueue|fd|stdin|stdout|stderr|core) ;;
            *) echo "unexpected /dev/$d"; false ;;
        esac
    done
}

@test "devices: linux.devices: char, block and fifo made with their numbers, mode and owner" {
    update_config '.linux.devices = [
        {"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 416, "uid": 1000, "gid": 1001},
        {"path": "/dev/myblock", "type": "b", "major": 7, "minor": 200, "fileMode": 384, "uid": 0, "gid": 0},
        {"path": "/dev/sub/dir/myfifo", "type": "p", "fileMode": 420}]'
    run_container "$STAT /dev/mynull /dev/myblock /dev/sub/dir/myfifo"
    [ "$status" -eq 0 ]
    echo "$output"
    grep -qx '/dev/mynull character special file 1:3 640 1000 1001' <<< "$output"
    grep -qx '/dev/myblock block special file 7:c8 600 0 0' <<< "$output"
    grep -q '^/dev/sub/dir/myfifo fifo 0:0 644 0 0$' <<< "$output"
}

@test "devices: linux.devices without fileMode gets 0666 like the default devices" {
    update_config '.linux.devices = [{"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3}]'
    run_container "$STAT /dev/mynull"
    [ "$status" -eq 0 ]
    grep -q '^/dev/mynull character special file 1:3 [0-7]* 0 0$' <<< "$output"
}

@test "devices: a device over a default one replaces it" {
    # no maskedPaths: masking binds /dev/null only when it is the null device (CVE-2025-31133)
    update_config '.linux.devices = [{"path": "/dev/null", "type": "c", "major": 1, "minor": 5, "fileMode": 438}]
        | .linux.maskedPaths = []'
    run_container "$STAT /dev/null"
    [ "$status" -eq 0 ]
    grep -qx '/dev/null character special file 1:5 666 0 0' <<< "$output"
}

@test "devices: a /dev/null that is not the null device is never used to mask paths" {
    update_config '.linux.devices = [{"path": "/dev/null", "type": "c", "major": 1, "minor": 5}]'
    run_container 'head -c 4 /proc/kcore /proc/timer_list 2>&1 | od -c | head -2'
    echo "$output"
    [ "$status" -ne 0 ]
    [[ "$output" == *"/dev/null in the container is not the null device (char 1:3)"* ]]
    assert_nothing_left
}

@test "devices: in a user namespace the default devices are bind-mounted and work" {
    requires userns
    update_config '.linux.namespaces += [{"type": "user"}]
        | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
        | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
        | .linux.devices = [{"path": "/dev/full", "type": "c", "major": 1, "minor": 7}]'
    run_container "echo x > /dev/null && echo NULL-OK; head -c 3 /dev/full | wc -c; $STAT /dev/full"
    [ "$status" -eq 0 ]
    grep -qx NULL-OK <<< "$output"
    grep -qx 3 <<< "$output"
    grep -q '^/dev/full character special file 1:7 ' <<< "$output"
}

@test "devices: a device path outside /dev is created where it says, inside the rootfs" {
    update_config '.linux.devices = [{"path": "/opt/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 438}]'
    run_container "$STAT /opt/mynull"
    [ "$status" -eq 0 ]
    grep -q '^/opt/mynull character special file 1:3 ' <<< "$output"
}

@test "devices: an unknown type is an error naming the field" {
    update_config '.linux.devices = [{"path": "/dev/x", "type": "z", "major": 1, "minor": 3}]'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"linux.devices[0]"* ]]
    assert_nothing_left
}
