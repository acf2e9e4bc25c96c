#!/usr/bin/env bats
# lsm: process.apparmorProfile, process.selinuxLabel, linux.mountLabel and exec's --apparmor /
# --process-label.  Each test asserts what this host can show: where the LSM is enabled (AppArmor
# in the cgroup v2 VM, whose Debian kernel boots with it) the process runs confined by it; where it
# is not (this host has no LSM), asking for it is a clear error that leaves nothing behind.

load helpers

apparmor_on() {
    [ -d /sys/kernel/security/apparmor ] && [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]
}

# load_profile NAME: a profile that allows everything but reading /etc/secret.
load_profile() {
    command -v apparmor_parser > /dev/null || fail "apparmor_parser is missing (Debian package apparmor)"
    cat > "$TEST_DIR/profile" <<EOF
profile $1 flags=(attach_disconnected,mediate_deleted) {
  file,
  capability,
  network,
  signal,
  ptrace,
  unix,
  mount,
  umount,
  pivot_root,
  deny /etc/secret r,
}
EOF
    apparmor_parser --skip-cache -r "$TEST_DIR/profile"
    on_teardown "apparmor_parser --skip-cache -R '$TEST_DIR/profile'"
}

fail() {
    echo "$*" >&2
    return 1
}

@test "lsm: process.apparmorProfile: confined by it where AppArmor is enabled (a profile not loaded is an error), an error where it is not" {
    local profile=hull-test-$$
    echo top-secret > "$ROOTFS/etc/secret"
    update_config ".process.apparmorProfile = \"$profile\""
    if apparmor_on; then
        load_profile "$profile"
        run_container 'cat /proc/self/attr/current; cat /etc/secret || echo DENIED'
        echo "$output"
        [ "$status" -eq 0 ]
        [ "${lines[0]}" = "$profile (enforce)" ]
        [[ "$output" == *"Permission denied"* ]]
        [ "${lines[-1]}" = DENIED ]
        [[ "$output" != *top-secret* ]]
        # the same container without the profile reads the file: the profile made the difference
        update_config 'del(.process.apparmorProfile)'
        run_container 'cat /proc/self/attr/current; cat /etc/secret'
        [ "$status" -eq 0 ]
        [ "${lines[0]}" = unconfined ]
        [ "${lines[1]}" = top-secret ]
        # a profile that is not loaded: refused before anything is made
        update_config '.process.apparmorProfile = "hull-no-such-profile"'
        run_container true
        echo "$output"
        [ "$status" -ne 0 ]
        [[ "$output" == *'process.apparmorProfile: "hull-no-such-profile": no such AppArmor profile is loaded'* ]]
    else
        run_container true
        echo "$output"
        [ "$status" -ne 0 ]
        [[ "$output" == *"process.apparmorProfile: \"$profile\": AppArmor is not enabled on this host"* ]]
    fi
    assert_nothing_left
}

@test "lsm: exec --apparmor: the exec'd process gets the profile, the container's own stays" {
    local profile=hull-exec-$$
    echo top-secret > "$ROOTFS/etc/secret"
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID" < /dev/null > /dev/null 2>&1
    if apparmor_on; then
        load_profile "$profile"
        run_hull exec --apparmor "$profile" "$CID" sh -c 'cat /proc/self/attr/current; cat /etc/secret || echo DENIED'
        echo "$output"
        [ "$status" -eq 0 ]
        [ "${lines[0]}" = "$profile (enforce)" ]
        [ "${lines[-1]}" = DENIED ]
        run_hull exec "$CID" sh -c 'cat /proc/1/attr/current; cat /etc/secret'
        [ "$status" -eq 0 ]
        [ "${lines[0]}" = unconfined ]
        [ "${lines[1]}" = top-secret ]
    else
        run_hull exec --apparmor "$profile" "$CID" true
        echo "$output"
        [ "$status" -ne 0 ]
        [[ "$output" == *"AppArmor is not enabled on this host"* ]]
        # no process of the refused exec is left in the container: its init and this ls only (one
        # process, no pipeline whose members come and go while ps reads /proc)
        run_hull exec "$CID" ls /proc
        [ "$status" -eq 0 ]
        echo "$output" | grep '^[0-9][0-9]*$'
        [ "$(grep -c '^[0-9][0-9]*$' <<< "$output")" = 2 ]
    fi
}

@test "lsm: process.selinuxLabel and exec --process-label are errors where SELinux is not enabled" {
    [ ! -d /sys/fs/selinux ] || skip "SELinux is enabled here: no policy of the test's to label with"
    update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0"'
    run_container true
    echo "$output"
    [ "$status" -ne 0 ]
    [[ "$output" == *'process.selinuxLabel: "system_u:system_r:container_t:s0": SELinux is not enabled on this host'* ]]
    assert_nothing_left
    update_config 'del(.process.selinuxLabel)'
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID" < /dev/null > /dev/null 2>&1
    run_hull exec --process-label system_u:system_r:container_t:s0 "$CID" true
    [ "$status" -ne 0 ]
    [[ "$output" == *"SELinux is not enabled on this host"* ]]
}

@test "lsm: linux.mountLabel is refused where SELinux is not enabled (never silently dropped)" {
    [ ! -d /sys/fs/selinux ] || skip "SELinux is enabled here"
    update_config '.linux.mountLabel = "system_u:object_r:container_file_t:s0"'
    run_container true
    echo "$output"
    [ "$status" -ne 0 ]
    [[ "$output" == *'linux.mountLabel: "system_u:object_r:container_file_t:s0": SELinux is not enabled on this host'* ]]
    assert_nothing_left
}
