#!/usr/bin/env bats
# security: the shapes of attacks that broke runtimes before, attempted from the config or the
# caller's environment, and what the container could reach afterwards.

load helpers

# status_field NAME: the value of NAME: in a /proc/self/status copy held in $output
status_field() {
    awk -v k="$1:" '$1 == k { $1 = ""; sub(/^[ \t]+/, ""); print; exit }' <<< "$output"
}

@test "security: process.cwd through a host fd the caller leaked is refused (CVE-2024-21626)" {
    mkdir -p "$TEST_DIR/host-secret"
    echo host > "$TEST_DIR/host-secret/file"
    update_config '.process.cwd = "/proc/self/fd/7"'
    set_cmd 'cat file; pwd'
    exec 7< "$TEST_DIR/host-secret"
    run_hull run -b "$BUNDLE" "$CID"
    exec 7<&-
    echo "$output"
    [ "$status" -ne 0 ]
    [[ "$output" == *'process.cwd: "/proc/self/fd/7" is outside the container'* ]]
    ! grep -q '^host$' <<< "$output" || false
    assert_nothing_left
}

@test "security: no file descriptor of the caller or of hull reaches the container process" {
    exec 7< /etc 8> "$TEST_DIR/w"
    run_container 'ls /proc/self/fd | tr "\n" " "; echo; readlink /proc/self/fd/7; readlink /proc/self/fd/8; true'
    exec 7<&- 8>&-
    echo "$output"
    [ "$status" -eq 0 ]
    # 0 1 2 and the directory ls itself opened (3): nothing else
    [ "${lines[0]}" = "0 1 2 3 " ]
    [ ${#lines[@]} -eq 1 ]
}

@test "security: inheritable and ambient sets are empty unless the config asks (CVE-2022-29162)" {
    # the caller holds inheritable and ambient capabilities; runc once passed them on
    cat > "$TEST_DIR/hull-inh" <<WRAP
#!/bin/sh
exec setpriv --inh-caps +chown,+kill,+net_raw --ambient-caps +chown,+kill "$HULL" "\$@"
WRAP
    chmod +x "$TEST_DIR/hull-inh"
    run_container 'cat /proc/self/status'
    [ "$status" -eq 0 ]
    HULL=$TEST_DIR/hull-inh run_container 'cat /proc/self/status'
    [ "$status" -eq 0 ]
    [ "$(status_field CapInh)" = 0000000000000000 ]
    [ "$(status_field CapAmb)" = 0000000000000000 ]
    # the wrapper did hand them to hull: the same wrapper around cat shows them
    run "$TEST_DIR/hull-inh" --version
    run setpriv --inh-caps +chown,+kill,+net_raw --ambient-caps +chown,+kill grep -E '^Cap(Inh|Amb)' /proc/self/status
    [[ "$output" == *"CapInh:	0000000000002021"* ]]
    [[ "$output" == *"CapAmb:	0000000000000021"* ]]
}

@test "security: masking never binds a /dev/null the image replaced with a symlink (CVE-2025-31133)" {
    # no /dev tmpfs: the image's own /dev, where /dev/null points at a host-sensitive file
    update_config '.mounts |= map(select(.destination != "/dev")) | .linux.maskedPaths = ["/proc/version"]'
    rm -rf "$ROOTFS/dev"
    mkdir "$ROOTFS/dev"
    ln -s /proc/sysrq-trigger "$ROOTFS/dev/null"
    run_container 'cat /proc/version'
    echo "$output"
    [ "$status" -ne 0 ]
    [[ "$output" == *'linux.maskedPaths[0] (/proc/version): /dev/null in the container is not the null device'* ]]
    assert_nothing_left
}

@test "security: masking with the real /dev/null still works (a file reads empty)" {
    update_config '.linux.maskedPaths = ["/proc/version"]'
    run_container 'wc -c < /proc/version; stat -c %t:%T /proc/version'
    echo "$output"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 0 ]
    [ "${lines[1]}" = 1:3 ]
}

@test "security: a sysctl under a mount that covers part of /proc/sys is refused (CVE-2025-52881)" {
    # the write would land in whatever the config mounted there, not in the kernel's sysctl
    update_config '.mounts += [{"destination": "/proc/sys/kernel", "type": "tmpfs", "source": "tmpfs"}]
        | .linux.sysctl = {"kernel.domainname": "hull.test"}'
    run_container 'cat /proc/sys/kernel/domainname; domainname'
    echo "$output"
    [ "$status" -ne 0 ]
    [[ "$output" == *'linux.sysctl["kernel.domainname"] = "hull.test": /proc/sys/kernel/domainname: a mount covers it'* ]]
    assert_nothing_left
}

@test "security: process.oomScoreAdj goes to the real /proc/self, not through a mount over it (CVE-2025-52881)" {
    update_config '.mounts += [{"destination": "/proc/1", "type": "tmpfs", "source": "tmpfs"}] | .process.oomScoreAdj = 100'
    run_container 'cat /proc/1/oom_score_adj'
    echo "$output"
    [ "$status" -ne 0 ]
    [[ "$output" == *'process.oomScoreAdj 100: /proc/self/oom_score_adj: a mount covers it'* ]]
    assert_nothing_left
}

@test "security: a container process cannot open the hull binary through /proc/<pid>/exe (CVE-2019-5736)" {
    # created, not started: the container's pid 1 is still hull, waiting for `start`; a process
    # exec'd into the container tries to grab /proc/1/exe (the host's hull binary) to write later
    set_cmd 'sleep 30'
    hull create -b "$BUNDLE" "$CID"
    before=$(sha256sum < "$HULL")
    run_hull exec "$CID" sh -c 'readlink /proc/1/exe; head -c 4 /proc/1/exe | od -c | head -1; exec 5</proc/1/exe && echo OPENED'
    echo "$output"
    [[ "$output" != *OPENED* ]]
    [[ "$output" != *ELF* ]]
    [[ "$output" == *"Permission denied"* ]]
    [ "$(sha256sum < "$HULL")" = "$before" ]
    # once started, pid 1 is the container's own program and is dumpable again as usual
    hull start "$CID"
    run_hull exec "$CID" readlink /proc/1/exe
    [ "$status" -eq 0 ]
    [ "$output" = /bin/busybox ]
}
