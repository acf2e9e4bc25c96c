#!/usr/bin/env bats
# linux.sysctl: written inside the container's namespaces, checked against the namespaces a key
# needs; the host's values never change.

load helpers

@test "sysctl: a net key in a new network namespace" {
    host=$(cat /proc/sys/net/ipv4/ip_forward)
    want=$((1 - host))
    update_config '.linux.sysctl = {"net.ipv4.ip_forward": $v}' --arg v "$want"
    run_container 'cat /proc/sys/net/ipv4/ip_forward'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "$want" ]
    [ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host" ]
}

@test "sysctl: slash-separated keys work too" {
    update_config '.linux.sysctl = {"net/ipv4/ip_default_ttl": "42"}'
    run_container 'cat /proc/sys/net/ipv4/ip_default_ttl'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 42 ]
}

@test "sysctl: ipc keys in a new ipc namespace" {
    host=$(cat /proc/sys/kernel/msgmax)
    update_config '.linux.sysctl = {"kernel.msgmax": "12345", "kernel.shmmni": "1000"}'
    run_container 'cat /proc/sys/kernel/msgmax /proc/sys/kernel/shmmni'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 12345 ]
    [ "${lines[1]}" = 1000 ]
    [ "$(cat /proc/sys/kernel/msgmax)" = "$host" ]
}

@test "sysctl: kernel.domainname with a uts namespace" {
    update_config '.linux.sysctl = {"kernel.domainname": "sysctl.test"}'
    run_container 'cat /proc/sys/kernel/domainname'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = sysctl.test ]
}

@test "sysctl: /proc/sys stays read-only for the container after the sysctls are written" {
    update_config '.linux.sysctl = {"net.ipv4.ip_default_ttl": "42"}'
    run_container '{ echo 43 > /proc/sys/net/ipv4/ip_default_ttl; } 2>/dev/null && echo WRITABLE; cat /proc/sys/net/ipv4/ip_default_ttl'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 42 ]
}

@test "sysctl: a net key without a network namespace is an error, the host is untouched" {
    host=$(cat /proc/sys/net/ipv4/ip_default_ttl)
    update_config '.linux.namespaces |= map(select(.type != "network")) | .linux.sysctl = {"net.ipv4.ip_default_ttl": "42"}'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *net.ipv4.ip_default_ttl* ]]
    [ "$(cat /proc/sys/net/ipv4/ip_default_ttl)" = "$host" ]
    assert_nothing_left
}

@test "sysctl: an ipc key without an ipc namespace is an error" {
    update_config '.linux.namespaces |= map(select(.type != "ipc")) | .linux.sysctl = {"kernel.msgmax": "12345"}'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *kernel.msgmax* ]]
    assert_nothing_left
}

@test "sysctl: a key no namespace isolates is an error, the host is untouched" {
    host=$(cat /proc/sys/kernel/pid_max)
    update_config '.linux.sysctl = {"kernel.pid_max": "32768"}'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *kernel.pid_max* ]]
    [ "$(cat /proc/sys/kernel/pid_max)" = "$host" ]
    assert_nothing_left
}

@test "sysctl: a key that does not exist is an error naming it" {
    update_config '.linux.sysctl = {"net.ipv4.no_such_key": "1"}'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *no_such_key* ]]
    assert_nothing_left
}
