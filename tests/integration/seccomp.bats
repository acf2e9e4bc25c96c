#!/usr/bin/env bats
# linux.seccomp: each action's effect seen from inside a busybox container, argument filters,
# architectures, flags, SCMP_ACT_NOTIFY reaching an agent the test runs, a Docker-shaped profile,
# and bad profiles refused with the field named and nothing left behind.

load helpers

# seccomp JSON: set linux.seccomp to JSON (a jq expression).
seccomp() {
    update_config ".linux.seccomp = ($1)"
}

# deny_mkdir ACTION [EXTRA]: a rule with ACTION for mkdir and mkdirat (busybox mkdir uses either).
deny_mkdir() {
    seccomp "{defaultAction: \"SCMP_ACT_ALLOW\", syscalls: [{names: [\"mkdir\", \"mkdirat\"], action: \"$1\" ${2:-}}]}"
}

@test "seccomp: an ERRNO rule fails the syscall with EPERM by default" {
    deny_mkdir SCMP_ACT_ERRNO
    run_container 'mkdir /tmp/x; echo "rc=$?"; [ ! -e /tmp/x ] && echo absent; uname -s'
    [ "$status" -eq 0 ]
    [[ "$output" == *"can't create directory '/tmp/x': Operation not permitted"* ]]
    [[ "$output" == *"rc=1"* ]]
    [[ "$output" == *absent* ]]
    [[ "$output" == *Linux* ]]
}

@test "seccomp: errnoRet chooses the errno" {
    deny_mkdir SCMP_ACT_ERRNO ', errnoRet: 13'
    run_container 'mkdir /tmp/x'
    [ "$status" -eq 1 ]
    [[ "$output" == *"'/tmp/x': Permission denied"* ]]
}

@test "seccomp: without noNewPrivileges (loaded before the user switch) the filter applies to a non-root user" {
    deny_mkdir SCMP_ACT_ERRNO ', errnoRet: 95'
    update_config '.process.noNewPrivileges = false | .process.user = {uid: 1000, gid: 1000}'
    run_container 'id -u; grep NoNewPrivs /proc/self/status; grep Seccomp: /proc/self/status; mkdir /tmp/x'
    [ "$status" -eq 1 ]
    [[ "$output" == *1000* ]]
    [[ "$output" == *"NoNewPrivs:"*0* ]]
    [[ "$output" == *"Seccomp:"*2* ]]
    [[ "$output" == *"Operation not supported"* ]]
}

@test "seccomp: with noNewPrivileges the filter is loaded (mode 2) and no_new_privs is set" {
    deny_mkdir SCMP_ACT_ERRNO
    run_container 'grep -E "NoNewPrivs|Seccomp:" /proc/self/status'
    [ "$status" -eq 0 ]
    [[ "$output" == *"NoNewPrivs:"*1* ]]
    [[ "$output" == *"Seccomp:"*2* ]]
}

@test "seccomp: defaultAction ERRNO with an allow list" {
    # everything the shell needs is allowed by the Docker-shaped profile; drop mkdir from it
    jq '.syscalls[0].names -= ["mkdir", "mkdirat"]' "$TESTDATA/seccomp-docker-default.json" > "$TEST_DIR/p.json"
    update_config '.linux.seccomp = $p[0]' --slurpfile p "$TEST_DIR/p.json"
    run_container 'echo hello; mkdir /tmp/x; echo "rc=$?"'
    [ "$status" -eq 0 ]
    [[ "$output" == *hello* ]]
    [[ "$output" == *"Operation not permitted"* ]]
    [[ "$output" == *"rc=1"* ]]
}

@test "seccomp: KILL_PROCESS kills the process (SIGSYS: status 159)" {
    deny_mkdir SCMP_ACT_KILL_PROCESS
    update_config '.process.args = ["mkdir", "/tmp/x"]'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -eq 159 ]
}

@test "seccomp: KILL (= KILL_THREAD) kills the process" {
    deny_mkdir SCMP_ACT_KILL
    update_config '.process.args = ["mkdir", "/tmp/x"]'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -eq 159 ]
}

@test "seccomp: TRAP sends SIGSYS" {
    deny_mkdir SCMP_ACT_TRAP
    run_container 'mkdir /tmp/x; echo "status=$?"'
    [ "$status" -eq 0 ]
    [[ "$output" == *"status=159"* ]]
}

@test "seccomp: LOG and ALLOW rules let the syscall run" {
    jq '.syscalls[0].names -= ["mkdir", "mkdirat"] | .syscalls += [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_LOG"}]' \
        "$TESTDATA/seccomp-docker-default.json" > "$TEST_DIR/p.json"
    update_config '.linux.seccomp = $p[0]' --slurpfile p "$TEST_DIR/p.json"
    run_container 'mkdir /tmp/x && [ -d /tmp/x ] && echo made'
    [ "$status" -eq 0 ]
    [[ "$output" == *made* ]]
}

@test "seccomp: an argument filter denies kill with one signal only" {
    seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["kill"], action: "SCMP_ACT_ERRNO",
              args: [{index: 1, value: 10, op: "SCMP_CMP_EQ"}]}]}'
    run_container 'trap "" USR1 USR2; kill -USR2 $$ && echo usr2-ok; kill -USR1 $$ || echo usr1-denied'
    [ "$status" -eq 0 ]
    [[ "$output" == *usr2-ok* ]]
    [[ "$output" == *usr1-denied* ]]
}

@test "seccomp: MASKED_EQ and two args ANDed" {
    # kill(pid, sig) denied only when pid > 1 and sig & 0xf == 0xc (SIGUSR2 = 12)
    seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["kill"], action: "SCMP_ACT_ERRNO",
              args: [{index: 0, value: 1, op: "SCMP_CMP_GT"}, {index: 1, value: 15, valueTwo: 12, op: "SCMP_CMP_MASKED_EQ"}]}]}'
    run_container 'trap "" USR1 USR2; sh -c "kill -USR2 \$\$" || echo usr2-denied; kill -USR1 $$ && echo usr1-ok
                   kill -USR2 1 && echo usr2-pid1-ok'
    [ "$status" -eq 0 ]
    [[ "$output" == *usr2-denied* ]]
    [[ "$output" == *usr1-ok* ]]
    [[ "$output" == *usr2-pid1-ok* ]]
}

@test "seccomp: architectures and flags" {
    local flags
    flags=$(hull features | jq -c '.linux.seccomp.supportedFlags')
    seccomp "{defaultAction: \"SCMP_ACT_ALLOW\", architectures: [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"],
              flags: $flags, syscalls: [{names: [\"mkdir\", \"mkdirat\"], action: \"SCMP_ACT_ERRNO\"}]}"
    run_container 'mkdir /tmp/x'
    [ "$status" -eq 1 ]
    [[ "$output" == *"Operation not permitted"* ]]
}

@test "seccomp: an unknown syscall name is skipped with a warning" {
    seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["no_such_syscall", "mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO"}]}'
    run_container 'mkdir /tmp/x'
    [ "$status" -eq 1 ]
    [[ "$output" == *'linux.seccomp.syscalls[0].names[0]'*no_such_syscall*skipped* ]]
    [[ "$output" == *"Operation not permitted"* ]]
}

@test "seccomp: Docker's default profile shape runs a normal shell" {
    update_config '.linux.seccomp = $p[0]' --slurpfile p "$TESTDATA/seccomp-docker-default.json"
    run_container 'echo hi > /tmp/f && cat /tmp/f && ls / >/dev/null && mkdir /tmp/d && rmdir /tmp/d && ps >/dev/null &&
                   uname -r >/dev/null && sleep 0.1 && echo all-ok'
    [ "$status" -eq 0 ]
    [[ "$output" == *all-ok* ]]
}

# start_agent MODE: the seccomp agent in the background on $AGENT_SOCK, state in $AGENT_OUT.
start_agent() {
    requires cc
    local bin
    bin=$(build_helper seccomp-agent)
    AGENT_SOCK=$TEST_DIR/agent.sock
    AGENT_OUT=$TEST_DIR/agent.json
    "$bin" "$AGENT_SOCK" "$AGENT_OUT" "$1" 3>&- &
    AGENT_PID=$!
    on_teardown "kill $AGENT_PID 2>/dev/null"
    wait_for test -S "$AGENT_SOCK"
}

notify_mkdir() {
    seccomp "{defaultAction: \"SCMP_ACT_ALLOW\", listenerPath: \"$AGENT_SOCK\", listenerMetadata: \"meta=1\",
              syscalls: [{names: [\"mkdir\", \"mkdirat\"], action: \"SCMP_ACT_NOTIFY\"}]}"
}

@test "seccomp: NOTIFY hands the listener and the container process state to listenerPath; the agent fails the call" {
    start_agent errno:95
    notify_mkdir
    run_container 'mkdir /tmp/x; echo "rc=$?"; echo done'
    [ "$status" -eq 0 ]
    [[ "$output" == *"Operation not supported"* ]]
    [[ "$output" == *done* ]]
    wait "$AGENT_PID"
    cat "$AGENT_OUT"
    [ "$(jq -r .ociVersion "$AGENT_OUT")" != null ]
    [ "$(jq -c .fds "$AGENT_OUT")" = '["seccompFd"]' ]
    [ "$(jq -r .metadata "$AGENT_OUT")" = meta=1 ]
    [ "$(jq -r .state.id "$AGENT_OUT")" = "$CID" ]
    [ "$(jq -r .state.status "$AGENT_OUT")" = creating ]
    [ "$(jq -r .state.bundle "$AGENT_OUT")" = "$BUNDLE" ]
    [ "$(jq -r .pid "$AGENT_OUT")" = "$(jq -r .state.pid "$AGENT_OUT")" ]
    [ "$(jq -r .pid "$AGENT_OUT")" -gt 0 ]
    [ "$(cat "$AGENT_OUT.fds")" = 1 ]
    grep -q '^syscall ' "$AGENT_OUT.log"
}

@test "seccomp: NOTIFY with an agent that lets the call continue, without noNewPrivileges" {
    start_agent continue
    notify_mkdir
    update_config '.process.noNewPrivileges = false'
    run_container 'mkdir /tmp/x && [ -d /tmp/x ] && echo made'
    [ "$status" -eq 0 ]
    [[ "$output" == *made* ]]
    wait "$AGENT_PID"
    grep -q '^syscall ' "$AGENT_OUT.log"
}

@test "seccomp: a listenerPath nobody listens on fails create, nothing left" {
    AGENT_SOCK=$TEST_DIR/nobody.sock
    notify_mkdir
    expect_refused 'linux.seccomp.listenerPath'
}

@test "seccomp: bad profiles are refused naming the field, nothing left" {
    deny_mkdir SCMP_ACT_BOGUS
    expect_refused 'linux.seccomp.syscalls[0].action'
    seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["kill"], action: "SCMP_ACT_ERRNO",
              args: [{index: 1, value: 10, op: "SCMP_CMP_ALMOST"}]}]}'
    expect_refused 'linux.seccomp.syscalls[0].args[0].op'
    seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["mkdir"], action: "SCMP_ACT_NOTIFY"}]}'
    expect_refused 'listenerPath'
    seccomp '{defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_Z80"]}'
    expect_refused 'linux.seccomp.architectures[0]'
    seccomp '{defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_NOPE"]}'
    expect_refused 'linux.seccomp.flags[0]'
    seccomp '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: ["mkdir"], action: "SCMP_ACT_ERRNO", errnoRet: 100000}]}'
    expect_refused 'linux.seccomp.syscalls[0]'
}

# cache_entries: the compiled filters cached under the test's state root.
cache_entries() {
    find "$ROOT/.seccomp-cache" -type f 2>/dev/null | wc -l
}

@test "seccomp: a compiled filter is cached per state root: a second container reuses it, a changed profile gets its own" {
    seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["no_such_syscall", "mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 13}]}'
    run_container 'mkdir /tmp/x'
    [ "$status" -eq 1 ]
    [[ "$output" == *"Permission denied"* ]]
    [ "$(cache_entries)" -eq 1 ]
    [ "$(stat -c %a "$ROOT/.seccomp-cache")" = 700 ]
    local entry
    entry=$(find "$ROOT/.seccomp-cache" -type f)
    # the second container is served from the cache: same filter, same warning, no new entry
    run_hull --debug run -b "$BUNDLE" "$CID"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"from the cache"* ]]
    [[ "$output" == *"Permission denied"* ]]
    [[ "$output" == *'linux.seccomp.syscalls[0].names[0]'*no_such_syscall*skipped* ]]
    [ "$(cache_entries)" -eq 1 ]
    # `list` does not take the cache for a container
    run_hull list -q
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    # one changed field (errnoRet) is another filter: a new entry, and the new errno
    seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["no_such_syscall", "mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 95}]}'
    run_container 'mkdir /tmp/x'
    [ "$status" -eq 1 ]
    [[ "$output" == *"Operation not supported"* ]]
    [ "$(cache_entries)" -eq 2 ]
    # exec compiles the container's profile through the same cache
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID" < /dev/null > /dev/null 2>&1
    run_hull --debug exec "$CID" mkdir /tmp/y
    [ "$status" -eq 1 ]
    [[ "$output" == *"from the cache"* ]]
    [[ "$output" == *"Operation not supported"* ]]
    [ "$(cache_entries)" -eq 2 ]
}

@test "seccomp: a damaged cache entry is compiled again, never trusted" {
    deny_mkdir SCMP_ACT_ERRNO ', errnoRet: 13'
    run_container 'mkdir /tmp/x'
    [ "$status" -eq 1 ]
    local entry
    entry=$(find "$ROOT/.seccomp-cache" -type f)
    [ -n "$entry" ]
    # cut the BPF short, then replace it by garbage of the right size: both are misses
    truncate -s -8 "$entry"
    run_container 'mkdir /tmp/x'
    [ "$status" -eq 1 ]
    [[ "$output" == *"Permission denied"* ]]
    local size
    size=$(stat -c %s "$entry")
    head -c "$size" /dev/urandom > "$entry"
    run_hull --debug run -b "$BUNDLE" "$CID"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$output" != *"from the cache"* ]]
    [[ "$output" == *"Permission denied"* ]]
}

@test "seccomp: a cached NOTIFY filter does not excuse a missing listenerPath" {
    AGENT_SOCK=$TEST_DIR/nobody.sock
    notify_mkdir
    run_container true
    [ "$status" -ne 0 ]
    [ "$(cache_entries)" -eq 1 ] # compiled (the listener is what failed)
    update_config 'del(.linux.seccomp.listenerPath) | del(.linux.seccomp.listenerMetadata)'
    expect_refused 'SCMP_ACT_NOTIFY needs listenerPath'
}
