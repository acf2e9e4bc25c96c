#!/usr/bin/env bats
# The container's filesystem: mounts of every type and option, destinations resolved inside the
# rootfs, masked and read-only paths, root.readonly, propagation.

load helpers

# In $output (a copy of the container's /proc/self/mountinfo): the per-mount options, the file
# system type and the super options of the mount at MOUNTPOINT (the last one there).
mnt_opts() { awk -v m="$1" '$5 == m { o = $6 } END { print o }' <<< "$output"; }
mnt_type() { awk -v m="$1" '$5 == m { for (i = 7; $i != "-"; i++); t = $(i+1) } END { print t }' <<< "$output"; }
mnt_super() { awk -v m="$1" '$5 == m { for (i = 7; $i != "-"; i++); t = $(i+3) } END { print t }' <<< "$output"; }
has_opt() { [[ ,$1, == *,$2,* ]]; }

add_mount() { # add_mount JSON
    update_config '.mounts += [$m]' --argjson m "$1"
}

@test "mounts: the default mounts of the spec: proc, tmpfs /dev, devpts, shm, mqueue, sysfs, cgroup" {
    run_container 'cat /proc/self/mountinfo'
    [ "$status" -eq 0 ]
    [ "$(mnt_type /proc)" = proc ]
    [ "$(mnt_type /dev)" = tmpfs ]
    [ "$(mnt_type /dev/pts)" = devpts ]
    [ "$(mnt_type /dev/shm)" = tmpfs ]
    [ "$(mnt_type /dev/mqueue)" = mqueue ]
    [ "$(mnt_type /sys)" = sysfs ]
    has_opt "$(mnt_opts /sys)" ro
    # the options of config.json: /dev/shm is noexec,nosuid,nodev; /dev/pts newinstance
    has_opt "$(mnt_opts /dev/shm)" noexec
    has_opt "$(mnt_opts /dev/shm)" nosuid
    has_opt "$(mnt_opts /dev/shm)" nodev
    has_opt "$(mnt_super /dev/pts)" ptmxmode=666
    # the cgroup mount: every hierarchy (v1) or cgroup2, read-only
    grep -Eq ' - cgroup2? ' <<< "$output"
    awk '$5 ~ "^/sys/fs/cgroup" && / - cgroup2? / { if ($6 !~ /(^|,)ro(,|$)/) bad = 1 } END { exit bad }' <<< "$output"
    # / is the rootfs, nothing of the host's mount table beyond it
    [ "$(awk '$5 == "/"' <<< "$output" | wc -l)" -ge 1 ]
    ! grep -q " /work " <<< "$output" || false
}

@test "mounts: ro, nosuid, nodev, noexec show in mountinfo and are enforced" {
    add_mount '{"destination": "/m1", "type": "tmpfs", "source": "tmpfs", "options": ["ro", "nosuid", "nodev", "noexec"]}'
    add_mount '{"destination": "/m2", "type": "tmpfs", "source": "tmpfs", "options": ["rw", "exec", "suid", "dev", "mode=755"]}'
    run_container 'cat /proc/self/mountinfo; touch /m1/x 2>/dev/null && echo M1-WRITABLE; cp /bin/busybox /m2/true && /m2/true && echo M2-EXEC'
    [ "$status" -eq 0 ]
    o=$(mnt_opts /m1)
    has_opt "$o" ro
    has_opt "$o" nosuid
    has_opt "$o" nodev
    has_opt "$o" noexec
    o=$(mnt_opts /m2)
    has_opt "$o" rw
    ! has_opt "$o" noexec || false
    ! has_opt "$o" nosuid || false
    ! grep -q M1-WRITABLE <<< "$output" || false
    grep -q M2-EXEC <<< "$output"
}

@test "mounts: noexec is enforced" {
    add_mount '{"destination": "/m1", "type": "tmpfs", "source": "tmpfs", "options": ["noexec"]}'
    run_container 'cp /bin/busybox /m1/true && /m1/true && echo RAN; echo done'
    [ "$status" -eq 0 ]
    [ "${lines[-1]}" = done ]
    ! grep -q RAN <<< "$output" || false
}

@test "mounts: the atime family: noatime, nodiratime, strictatime, relatime" {
    add_mount '{"destination": "/a1", "type": "tmpfs", "source": "tmpfs", "options": ["noatime", "nodiratime"]}'
    add_mount '{"destination": "/a2", "type": "tmpfs", "source": "tmpfs", "options": ["strictatime"]}'
    add_mount '{"destination": "/a3", "type": "tmpfs", "source": "tmpfs", "options": ["relatime"]}'
    run_container 'cat /proc/self/mountinfo'
    [ "$status" -eq 0 ]
    has_opt "$(mnt_opts /a1)" noatime
    has_opt "$(mnt_opts /a1)" nodiratime
    ! has_opt "$(mnt_opts /a2)" relatime || false
    ! has_opt "$(mnt_opts /a2)" noatime || false
    has_opt "$(mnt_opts /a3)" relatime
}

@test "mounts: tmpfs data options (size, mode) reach the file system" {
    add_mount '{"destination": "/t", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m", "mode=700"]}'
    run_container 'cat /proc/self/mountinfo; stat -c %a /t'
    [ "$status" -eq 0 ]
    has_opt "$(mnt_super /t)" size=1024k
    [ "${lines[-1]}" = 700 ]
}

@test "mounts: bind of a host directory, read-write, and ro" {
    mkdir -p "$TEST_DIR/src"
    echo from-host > "$TEST_DIR/src/f"
    add_mount "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src\", \"options\": [\"bind\"]}"
    add_mount "{\"destination\": \"/data-ro\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src\", \"options\": [\"bind\", \"ro\"]}"
    run_container 'cat /data/f; echo from-container > /data/g; echo x > /data-ro/h 2>/dev/null && echo RO-WRITABLE; cat /proc/self/mountinfo'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = from-host ]
    [ "$(cat "$TEST_DIR/src/g")" = from-container ]
    [ ! -e "$TEST_DIR/src/h" ]
    ! grep -q RO-WRITABLE <<< "$output" || false
    has_opt "$(mnt_opts /data-ro)" ro
    has_opt "$(mnt_opts /data)" rw
}

@test "mounts: a bind mount with no type (options bind) works too" {
    mkdir -p "$TEST_DIR/src"
    echo hi > "$TEST_DIR/src/f"
    add_mount "{\"destination\": \"/data\", \"source\": \"$TEST_DIR/src\", \"options\": [\"rbind\"]}"
    run_container 'cat /data/f'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = hi ]
}

@test "mounts: bind of a single file; the destination is created as a file" {
    echo file-content > "$TEST_DIR/hostfile"
    add_mount "{\"destination\": \"/etc/hostfile\", \"type\": \"bind\", \"source\": \"$TEST_DIR/hostfile\", \"options\": [\"bind\", \"ro\"]}"
    run_container 'cat /etc/hostfile; [ -f /etc/hostfile ] && echo IS-FILE'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = file-content ]
    [ "${lines[1]}" = IS-FILE ]
    [ -f "$ROOTFS/etc/hostfile" ]
}

@test "mounts: missing destination directories are created (deep path)" {
    add_mount '{"destination": "/a/b/c/d", "type": "tmpfs", "source": "tmpfs"}'
    run_container 'cat /proc/self/mountinfo'
    [ "$status" -eq 0 ]
    [ "$(mnt_type /a/b/c/d)" = tmpfs ]
    [ -d "$ROOTFS/a/b/c/d" ]
}

@test "mounts: rbind takes submounts along, bind does not" {
    mkdir -p "$TEST_DIR/src/sub"
    mount -t tmpfs -o size=1m sub-tmpfs "$TEST_DIR/src/sub"
    on_teardown "umount '$TEST_DIR/src/sub'"
    echo in-sub > "$TEST_DIR/src/sub/f"
    add_mount "{\"destination\": \"/r\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src\", \"options\": [\"rbind\"]}"
    add_mount "{\"destination\": \"/b\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src\", \"options\": [\"bind\"]}"
    run_container 'cat /r/sub/f; cat /b/sub/f 2>/dev/null || echo NO-SUB'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = in-sub ]
    [ "${lines[1]}" = NO-SUB ]
}

@test "mounts: rro makes submounts read-only too (mount_setattr), ro only the top" {
    mkdir -p "$TEST_DIR/src/sub"
    mount -t tmpfs -o size=1m sub-tmpfs "$TEST_DIR/src/sub"
    on_teardown "umount '$TEST_DIR/src/sub'"
    add_mount "{\"destination\": \"/r\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src\", \"options\": [\"rbind\", \"rro\"]}"
    add_mount "{\"destination\": \"/o\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src\", \"options\": [\"rbind\", \"ro\"]}"
    run_container 'cat /proc/self/mountinfo'
    [ "$status" -eq 0 ]
    has_opt "$(mnt_opts /r)" ro
    has_opt "$(mnt_opts /r/sub)" ro
    has_opt "$(mnt_opts /o)" ro
    has_opt "$(mnt_opts /o/sub)" rw
}

@test "mounts: rnosuid, rnodev, rnoexec apply to submounts" {
    mkdir -p "$TEST_DIR/src/sub"
    mount -t tmpfs -o size=1m sub-tmpfs "$TEST_DIR/src/sub"
    on_teardown "umount '$TEST_DIR/src/sub'"
    add_mount "{\"destination\": \"/r\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src\", \"options\": [\"rbind\", \"rnosuid\", \"rnodev\", \"rnoexec\"]}"
    run_container 'cat /proc/self/mountinfo'
    [ "$status" -eq 0 ]
    for o in nosuid nodev noexec; do
        has_opt "$(mnt_opts /r/sub)" $o
    done
}

@test "mounts: tmpcopyup copies the rootfs content under the tmpfs" {
    mkdir -p "$ROOTFS/opt/data/deep"
    echo keep-me > "$ROOTFS/opt/data/deep/f"
    chmod 0750 "$ROOTFS/opt/data"
    add_mount '{"destination": "/opt/data", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup"]}'
    run_container 'cat /opt/data/deep/f; stat -c %a /opt/data; echo new > /opt/data/n; cat /proc/self/mountinfo'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = keep-me ]
    [ "${lines[1]}" = 750 ]
    [ "$(mnt_type /opt/data)" = tmpfs ]
    # writes went to the tmpfs, not to the rootfs
    [ ! -e "$ROOTFS/opt/data/n" ]
}

@test "mounts: overlay with lower, upper and work dirs on the host" {
    mkdir -p "$TEST_DIR/lower" "$TEST_DIR/upper" "$TEST_DIR/work"
    echo from-lower > "$TEST_DIR/lower/l"
    add_mount "{\"destination\": \"/ov\", \"type\": \"overlay\", \"source\": \"overlay\",
        \"options\": [\"lowerdir=$TEST_DIR/lower\", \"upperdir=$TEST_DIR/upper\", \"workdir=$TEST_DIR/work\"]}"
    run_container 'cat /ov/l; echo new > /ov/n; cat /proc/self/mountinfo'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = from-lower ]
    [ "$(mnt_type /ov)" = overlay ]
    [ "$(cat "$TEST_DIR/upper/n")" = new ]
    [ ! -e "$TEST_DIR/lower/n" ]
}

@test "mounts: a second proc and sysfs, mqueue, devpts at other places" {
    add_mount '{"destination": "/proc2", "type": "proc", "source": "proc"}'
    add_mount '{"destination": "/sys2", "type": "sysfs", "source": "sysfs", "options": ["ro", "nosuid", "noexec", "nodev"]}'
    add_mount '{"destination": "/mq", "type": "mqueue", "source": "mqueue"}'
    run_container 'cat /proc/self/mountinfo; [ -r /proc2/1/status ] && echo PROC2-OK'
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(mnt_type /proc2)" = proc ]
    [ "$(mnt_type /sys2)" = sysfs ]
    [ "$(mnt_type /mq)" = mqueue ]
    [ "${lines[-1]}" = PROC2-OK ]
}

@test "mounts: a cgroup mount with a cgroup namespace shows the container's own cgroup" {
    requires cgroupns
    update_config '.linux.namespaces += [{"type": "cgroup"}]'
    run_container 'cat /proc/self/mountinfo; ls /sys/fs/cgroup'
    [ "$status" -eq 0 ]
    # the mount roots are the container's cgroup, seen as "/"
    awk '/ - cgroup2? / && $5 ~ "^/sys/fs/cgroup" { if ($4 != "/") bad = 1; n++ } END { exit bad || !n }' <<< "$output"
}

@test "mounts: a destination symlink that escapes the rootfs lands inside it" {
    mkdir -p "$TEST_DIR/outside"
    echo host-marker > "$TEST_DIR/outside/marker"
    ln -s "$TEST_DIR/outside" "$ROOTFS/evil"
    ln -s ../../../../../../../../../../../outside2 "$ROOTFS/evil2"
    add_mount '{"destination": "/evil", "type": "tmpfs", "source": "tmpfs"}'
    add_mount '{"destination": "/evil2/x", "type": "tmpfs", "source": "tmpfs"}'
    run_container 'cat /proc/self/mountinfo; ls /evil; echo written > /evil/w'
    [ "$status" -eq 0 ]
    # the mount is at the symlink's target resolved inside the rootfs
    [ "$(mnt_type "$TEST_DIR/outside")" = tmpfs ]
    [ "$(mnt_type /outside2/x)" = tmpfs ]
    # the host directory is untouched, nothing was written there
    [ "$(cat "$TEST_DIR/outside/marker")" = host-marker ]
    [ ! -e "$TEST_DIR/outside/w" ]
    [ ! -e /outside2 ]
    [ -d "$ROOTFS$TEST_DIR/outside" ]
}

@test "mounts: a bind source on the host through a symlink is the host's (only destinations are resolved in the rootfs)" {
    mkdir -p "$TEST_DIR/real"
    echo real > "$TEST_DIR/real/f"
    ln -s real "$TEST_DIR/link"
    add_mount "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$TEST_DIR/link\", \"options\": [\"bind\"]}"
    run_container 'cat /data/f'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = real ]
}

@test "mounts: a destination with .. that would escape the rootfs is an error or stays inside" {
    add_mount '{"destination": "/../../../../../escaped-mount", "type": "tmpfs", "source": "tmpfs"}'
    run_container 'cat /proc/self/mountinfo'
    if [ "$status" -eq 0 ]; then
        [ "$(mnt_type /escaped-mount)" = tmpfs ]
    else
        [[ "$output" == *escaped-mount* ]]
    fi
    [ ! -e /escaped-mount ]
    assert_nothing_left
}

@test "mounts: maskedPaths: files read empty, directories are empty and read-only" {
    mkdir -p "$ROOTFS/secretdir"
    echo secret > "$ROOTFS/secretdir/s"
    echo secret > "$ROOTFS/secretfile"
    update_config '.linux.maskedPaths = ["/secretfile", "/secretdir", "/proc/timer_list", "/does/not/exist"]'
    run_container 'echo "file:[$(cat /secretfile)]"; echo "dir:[$(ls /secretdir)]"; touch /secretdir/x 2>/dev/null && echo DIR-WRITABLE; [ -e /proc/timer_list ] && echo "proc:[$(head -c 10 /proc/timer_list | wc -c)]"; true'
    echo "$output"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "file:[]" ]
    [ "${lines[1]}" = "dir:[]" ]
    ! grep -q DIR-WRITABLE <<< "$output" || false
    [ ! -e /proc/timer_list ] || [ "${lines[2]}" = "proc:[0]" ]
    [ "$(cat "$ROOTFS/secretfile")" = secret ]
}

@test "mounts: readonlyPaths: writes fail, reads work" {
    mkdir -p "$ROOTFS/data"
    echo content > "$ROOTFS/data/f"
    update_config '.linux.readonlyPaths = ["/data", "/proc/sys", "/does/not/exist"]'
    run_container 'cat /data/f; echo x > /data/f 2>/dev/null && echo DATA-WRITABLE; echo 1 > /proc/sys/kernel/domainname 2>/dev/null && echo SYS-WRITABLE; cat /proc/self/mountinfo'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = content ]
    ! grep -q WRITABLE <<< "$output" || false
    has_opt "$(mnt_opts /data)" ro
    has_opt "$(mnt_opts /proc/sys)" ro
    [ "$(cat "$ROOTFS/data/f")" = content ]
}

@test "mounts: root.readonly makes / read-only, mounts on it stay writable" {
    update_config '.root.readonly = true'
    add_mount '{"destination": "/w", "type": "tmpfs", "source": "tmpfs"}'
    run_container 'touch /x 2>/dev/null && echo ROOT-WRITABLE; touch /w/x && echo W-OK; cat /proc/self/mountinfo'
    [ "$status" -eq 0 ]
    ! grep -q ROOT-WRITABLE <<< "$output" || false
    grep -q W-OK <<< "$output"
    has_opt "$(mnt_opts /)" ro
    [ ! -e "$ROOTFS/x" ]
}

@test "mounts: root.path relative to the bundle, and absolute" {
    mv "$ROOTFS" "$BUNDLE/other-root"
    update_config '.root.path = "other-root"'
    run_container 'echo ok'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = ok ]
    update_config '.root.path = $p' --arg p "$BUNDLE/other-root"
    run_container 'echo ok'
    [ "$status" -eq 0 ]
    mv "$BUNDLE/other-root" "$ROOTFS"
}

@test "mounts: rootfsPropagation shared / private show on the root mount" {
    update_config '.linux.rootfsPropagation = "shared"'
    run_container 'cat /proc/self/mountinfo'
    [ "$status" -eq 0 ]
    awk '$5 == "/" && / shared:[0-9]+ / { f = 1 } END { exit !f }' <<< "$output"
    update_config '.linux.rootfsPropagation = "private"'
    run_container 'cat /proc/self/mountinfo'
    [ "$status" -eq 0 ]
    ! awk '$5 == "/" && / (shared|master):[0-9]+ / { f = 1 } END { exit !f }' <<< "$output" || false
}

@test "mounts: the container's mounts never propagate to the host" {
    add_mount '{"destination": "/t", "type": "tmpfs", "source": "tmpfs"}'
    update_config '.linux.rootfsPropagation = "shared"'
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    [ -z "$(mounts_under "$BUNDLE")" ]
    [ -z "$(mounts_under "$TEST_DIR")" ]
}

@test "mounts: --no-pivot runs the container with MS_MOVE + chroot" {
    run_hull run --no-pivot -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    set_cmd 'cat /proc/self/mountinfo'
    run_hull run --no-pivot -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    [ "$(mnt_type /proc)" = proc ]
}

@test "mounts: a mount type the kernel does not know is an error naming the mount" {
    add_mount '{"destination": "/x", "type": "nosuchfs", "source": "none"}'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *nosuchfs* ]] || [[ "$output" == */x* ]]
    assert_nothing_left
}

@test "mounts: a bind source that does not exist is an error naming it" {
    add_mount "{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"$TEST_DIR/missing\", \"options\": [\"bind\"]}"
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"$TEST_DIR/missing"* ]] || [[ "$output" == *mounts* ]]
    assert_nothing_left
}
