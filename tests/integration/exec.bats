#!/usr/bin/env bats
# exec: a new process in a created or running container, in all of its namespaces, its cgroup and
# root, with the config's process attributes as the flags change them (runc's `exec`).

load helpers

# start_container [SCRIPT]: the test's container, running `sh -c SCRIPT` (default: sleep), detached;
# $INIT is its pid.
start_container() {
    set_cmd "${1:-exec sleep 100}"
    hull run -d -b "$BUNDLE" "$CID" < /dev/null > /dev/null 2>&1
    INIT=$(pid_of "$CID")
}

# status_field NAME: the value of a /proc/PID/status line (CapEff, NoNewPrivs...) in $output.
status_field() {
    awk -v f="$1:" '$1 == f { print $2 }' <<< "$output"
}

@test "exec: joins every namespace of the container, its hostname, root and cgroup" {
    start_container
    echo marker-in-rootfs > "$ROOTFS/exec-marker"
    local t
    for t in mnt pid net ipc uts user cgroup time; do
        [ -e /proc/self/ns/$t ] || continue
        run_hull exec "$CID" readlink /proc/self/ns/$t
        [ "$status" -eq 0 ]
        [ "$output" = "$(readlink /proc/$INIT/ns/$t)" ]
    done
    run_hull exec "$CID" sh -c 'hostname; cat /exec-marker; [ "$(cat /proc/self/cgroup)" = "$(cat /proc/1/cgroup)" ] && echo same-cgroup'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = hulltest ]
    [ "${lines[1]}" = marker-in-rootfs ]
    [ "${lines[2]}" = same-cgroup ]
}

@test "exec: a container with user, cgroup and time namespaces: joined, root inside is the mapped uid" {
    requires userns cgroupns timens
    update_config '.linux.namespaces += [{"type": "user"}, {"type": "cgroup"}, {"type": "time"}]
        | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
        | .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]
        | .linux.timeOffsets = {"monotonic": {"secs": 86400}}'
    start_container
    local t
    for t in user cgroup time mnt pid; do
        run_hull exec "$CID" readlink /proc/self/ns/$t
        [ "$output" = "$(readlink /proc/$INIT/ns/$t)" ]
    done
    hull exec -d --pid-file "$TEST_DIR/pid" -u 5 "$CID" sleep 100
    local pid
    pid=$(cat "$TEST_DIR/pid")
    # uid 5 inside is 100005 on the host
    [ "$(awk '$1 == "Uid:" { print $2 }' /proc/$pid/status)" = 100005 ]
    run_hull exec "$CID" cat /proc/self/cgroup
    [ "$output" = "$(hull exec "$CID" cat /proc/1/cgroup)" ]
}

@test "exec: the process is in the container's pid namespace (a child of hull, not pid 1) and its cgroup on the host" {
    start_container
    run_hull exec "$CID" sh -c 'echo $$; cat /proc/1/comm'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" -gt 1 ]
    [ "${lines[1]}" = sleep ]
    hull exec -d --pid-file "$TEST_DIR/pid" "$CID" sleep 100
    local pid
    pid=$(cat "$TEST_DIR/pid")
    [ "$(cat /proc/$pid/cgroup)" = "$(cat /proc/$INIT/cgroup)" ]
    [ "$(readlink /proc/$pid/ns/pid)" = "$(readlink /proc/$INIT/ns/pid)" ]
}

@test "exec: env is the config's plus --env (same key replaced), HOME set; --cwd" {
    update_config '.process.env += ["FOO=config", "KEEP=yes"]'
    start_container
    mkdir -p "$ROOTFS/work/dir"
    run_hull exec -e FOO=flag -e NEW=1 --cwd /work/dir "$CID" sh -c 'echo "$FOO $KEEP $NEW $HOME"; pwd'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "flag yes 1 /root" ]
    [ "${lines[1]}" = /work/dir ]
    run_hull exec --cwd relative "$CID" true
    [ "$status" -ne 0 ]
    [[ "$output" == *"--cwd: must be an absolute path"* ]]
}

@test "exec: --user UID:GID, --additional-gids" {
    start_container
    run_hull exec -u 1000:1001 -g 2000 -g 2001,2002 "$CID" sh -c 'id -u; id -g; cat /proc/self/status'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 1000 ]
    [ "${lines[1]}" = 1001 ]
    grep -E '^Groups:[[:space:]]+2000 2001 2002[[:space:]]*$' <<< "$output"
    run_hull exec -u 1234 "$CID" id -u
    [ "$output" = 1234 ]
}

@test "exec: --cap adds a capability; the config's capabilities otherwise" {
    start_container
    run_hull exec "$CID" cat /proc/self/status
    local eff=$(status_field CapEff)
    # CAP_SYS_ADMIN is bit 21: not in the config's sets
    (( (0x$eff >> 21 & 1) == 0 ))
    (( (0x$eff >> 5 & 1) == 1 )) # CAP_KILL
    run_hull exec --cap CAP_SYS_ADMIN "$CID" cat /proc/self/status
    [ "$status" -eq 0 ]
    eff=$(status_field CapEff)
    (( (0x$eff >> 21 & 1) == 1 ))
    (( (0x$(status_field CapBnd) >> 21 & 1) == 1 ))
    run_hull exec --cap CAP_NOPE "$CID" true
    [ "$status" -ne 0 ]
    [[ "$output" == *'--cap "CAP_NOPE": unknown capability'* ]]
}

@test "exec: noNewPrivileges from the config, --no-new-privs sets it" {
    update_config '.process.noNewPrivileges = false'
    start_container
    run_hull exec "$CID" cat /proc/self/status
    [ "$(status_field NoNewPrivs)" = 0 ]
    run_hull exec --no-new-privs "$CID" cat /proc/self/status
    [ "$(status_field NoNewPrivs)" = 1 ]
}

@test "exec: rlimits of the config" {
    update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 321, "hard": 654}]'
    start_container
    run_hull exec "$CID" sh -c 'ulimit -n; ulimit -Hn'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 321 ]
    [ "${lines[1]}" = 654 ]
}

@test "exec: the exit status is passed through; a signal gives 128+N; signals reach the process" {
    start_container
    run_hull exec "$CID" sh -c 'exit 42'
    [ "$status" -eq 42 ]
    run_hull exec "$CID" sh -c 'kill -KILL $$'
    [ "$status" -eq 137 ]
    # hull forwards SIGTERM to the process (sh's trap proves it arrived there)
    "$HULL" --root "$ROOT" exec "$CID" sh -c 'trap "echo got-term; exit 3" TERM; touch /ready; while :; do sleep 0.05; done' \
        > "$TEST_DIR/out" 2>&1 < /dev/null &
    local hpid=$!
    wait_for test -e "$ROOTFS/ready"
    kill -TERM $hpid
    local rc=0
    wait $hpid || rc=$?
    [ "$rc" -eq 3 ]
    grep -q got-term "$TEST_DIR/out"
}

@test "exec --process FILE: the document sets the process; other process flags are refused" {
    start_container
    cat > "$TEST_DIR/process.json" <<'JSON'
{"args": ["sh", "-c", "echo $X; id -u; pwd"], "env": ["X=from-file", "PATH=/bin:/usr/bin"], "cwd": "/tmp",
 "user": {"uid": 7, "gid": 7}}
JSON
    run_hull exec --process "$TEST_DIR/process.json" "$CID"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = from-file ]
    [ "${lines[1]}" = 7 ]
    [ "${lines[2]}" = /tmp ]
    run_hull exec --process "$TEST_DIR/process.json" --cwd / "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"--cwd cannot be combined with it"* ]]
    # --tty repeats the document's "terminal" (conmon passes both); against it, it is refused
    run_hull exec --process "$TEST_DIR/process.json" --tty "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *'--tty, but the document says "terminal": false'* ]]
    echo '{"args": ["true"], "cwd": "relative"}' > "$TEST_DIR/bad.json"
    run_hull exec --process "$TEST_DIR/bad.json" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"bad.json"*"cwd"* ]]
}

@test "exec -d --pid-file: returns at once, the pid is the process in the container" {
    start_container
    hull exec -d --pid-file "$TEST_DIR/pid" "$CID" sh -c 'sleep 0.3; echo done > /exec-done; exec sleep 100'
    local pid
    pid=$(cat "$TEST_DIR/pid")
    kill -0 "$pid"
    wait_for test -e "$ROOTFS/exec-done"
    [ "$(cat /proc/$pid/comm)" = sleep ]
    [ "$(stat -L -c %i /proc/$pid/root)" = "$(stat -L -c %i /proc/$INIT/root)" ]
}

@test "exec -t --console-socket: the pty master goes to the socket, the process has a tty" {
    requires cc
    start_container
    local bin
    bin=$(build_helper recvtty)
    "$bin" "$TEST_DIR/console.sock" "$TEST_DIR/tty.out" 3>&- &
    local recv=$!
    on_teardown "kill $recv 2>/dev/null"
    wait_for test -S "$TEST_DIR/console.sock"
    hull exec -t -d --console-socket "$TEST_DIR/console.sock" "$CID" sh -c '[ -t 0 ] && [ -t 1 ] && echo is-a-tty; tty'
    wait $recv
    cat "$TEST_DIR/tty.out"
    grep -q is-a-tty "$TEST_DIR/tty.out"
    grep -Eq '^/dev/pts/[0-9]+' "$TEST_DIR/tty.out"
    # as conmon calls it: --process with "terminal": true, and --tty besides
    cat > "$TEST_DIR/process.json" <<'JSON'
{"args": ["sh", "-c", "[ -t 0 ] && echo doc-is-a-tty"], "cwd": "/", "terminal": true, "env": ["PATH=/bin"]}
JSON
    "$bin" "$TEST_DIR/console.sock" "$TEST_DIR/tty2.out" 3>&- &
    recv=$!
    on_teardown "kill $recv 2>/dev/null"
    wait_for test -S "$TEST_DIR/console.sock"
    hull exec --process "$TEST_DIR/process.json" --tty -d --console-socket "$TEST_DIR/console.sock" "$CID"
    wait $recv
    grep -q doc-is-a-tty "$TEST_DIR/tty2.out"
    # a detached terminal needs the socket; a socket needs a terminal
    run_hull exec -t -d "$CID" true
    [ "$status" -ne 0 ]
    [[ "$output" == *"needs --console-socket"* ]]
    run_hull exec --console-socket "$TEST_DIR/console.sock" "$CID" true
    [ "$status" -ne 0 ]
}

@test "exec: into a created container works; into a stopped one is an error" {
    set_cmd 'exec sleep 100'
    hull create -b "$BUNDLE" "$CID"
    run_hull exec "$CID" sh -c 'cat /proc/1/comm'
    [ "$status" -eq 0 ]
    # the container's process has not exec'd its program yet
    [ "$output" = hull ]
    [ "$(status_of "$CID")" = created ]
    hull kill "$CID" KILL
    wait_for status_is "$CID" stopped
    run_hull exec "$CID" true
    [ "$status" -ne 0 ]
    [[ "$output" == *"cannot exec in a stopped container"* ]]
}

@test "exec: into a paused container is an error unless --ignore-paused" {
    start_container
    hull pause "$CID"
    run_hull exec "$CID" true
    [ "$status" -ne 0 ]
    [[ "$output" == *"paused"*"--ignore-paused"* ]]
    # with --ignore-paused the process starts frozen and runs once resumed
    hull exec --ignore-paused "$CID" sh -c 'echo ran > /paused-exec' &
    local hpid=$!
    sleep 0.3
    [ ! -e "$ROOTFS/paused-exec" ]
    hull resume "$CID"
    wait $hpid
    [ "$(cat "$ROOTFS/paused-exec")" = ran ]
}

@test "exec: a missing binary is a clear error and leaves no process behind" {
    start_container
    run_hull exec "$CID" nope-not-here
    [ "$status" -ne 0 ]
    [[ "$output" == *'"nope-not-here": executable file not found in $PATH'* ]]
    run_hull exec "$CID" /bin/nope
    [ "$status" -ne 0 ]
    [[ "$output" == *'/bin/nope'* ]]
    # only the container's own process is left in its cgroup
    [ "$(hull ps "$CID" | tail -n +2 | wc -l)" -eq 1 ]
}

@test "exec: no hull descriptor reaches the process, --preserve-fds passes more; the cwd is inside the container" {
    start_container
    run_hull exec "$CID" ls /proc/self/fd
    [ "$status" -eq 0 ]
    # 0 1 2 and the directory ls reads
    [ "$(echo $output | tr ' ' '\n' | sort -n | tr '\n' ' ')" = "0 1 2 3 " ]
    run_hull exec "$CID" sh -c 'readlink /proc/self/cwd; pwd -P'
    [ "${lines[0]}" = / ]
    [ "${lines[1]}" = / ]
    # --preserve-fds 1: fd 3 goes in, as the caller opened it
    echo from-the-host > "$TEST_DIR/fd3"
    hull exec --preserve-fds 1 "$CID" cat /proc/self/fd/3 3< "$TEST_DIR/fd3" > "$TEST_DIR/out"
    [ "$(cat "$TEST_DIR/out")" = from-the-host ]
    # a host directory passed in cannot become the cwd (CVE-2024-21626)
    run_hull exec --preserve-fds 1 --cwd /proc/self/fd/3 "$CID" pwd 3< "$TEST_DIR"
    [ "$status" -ne 0 ]
    [[ "$output" == *"outside the container's root"* ]]
}

@test "exec: --apparmor and --process-label are refused on a host without those LSMs; --cgroup must exist" {
    start_container
    if [ ! -d /sys/kernel/security/apparmor ]; then
        run_hull exec --apparmor foo "$CID" true
        [ "$status" -ne 0 ]
        [[ "$output" == *AppArmor* ]]
    fi
    if [ ! -d /sys/fs/selinux ]; then
        run_hull exec --process-label system_u:system_r:foo_t "$CID" true
        [ "$status" -ne 0 ]
        [[ "$output" == *SELinux* ]]
    fi
    run_hull exec --cgroup nope "$CID" true
    [ "$status" -ne 0 ]
    [[ "$output" == *"--cgroup nope"* ]]
    run_hull exec --cgroup ../escape "$CID" true
    [ "$status" -ne 0 ]
}

@test "exec --cgroup SUBPATH: the process runs in that existing sub-cgroup of the container's (cgroup v2)" {
    start_container
    local dir
    dir=$(cgroup_dirs_of "$INIT" | while read -r d; do [ "$(stat -f -c %T "$d")" = cgroup2fs ] && echo "$d"; done | head -1)
    [ -n "$dir" ] || skip "no cgroup v2 hierarchy"
    mkdir "$dir/sub"
    on_teardown "rmdir '$dir/sub' 2>/dev/null"
    run_hull exec --cgroup sub "$CID" cat /proc/self/cgroup
    [ "$status" -eq 0 ]
    grep -E '^0::.*/sub$' <<< "$output"
    rmdir "$dir/sub"
}

@test "exec: the container's seccomp filter applies to the exec'd process" {
    update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["mkdirat", "mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}'
    start_container
    run_hull exec "$CID" mkdir /tmp/blocked
    [ "$status" -ne 0 ]
    [[ "$output" == *"not permitted"* ]]
    [ ! -e "$ROOTFS/tmp/blocked" ]
    run_hull exec "$CID" cat /proc/self/status
    [ "$(status_field Seccomp)" = 2 ]
}

@test "exec -t in the foreground: a pty relayed to hull's own terminal, input in, output and status out" {
    start_container
    # script(1) gives hull a terminal of its own, as a person at a shell would have
    printf 'hello\n' > "$TEST_DIR/in"
    run script -qec "$HULL --root $ROOT exec -t $CID sh -c 'tty; read l; echo got-\$l; exit 3'" /dev/null < "$TEST_DIR/in"
    echo "$output"
    [ "$status" -eq 3 ]
    grep -Eq '^/dev/pts/[0-9]+' <<< "$output"
    grep -q 'got-hello' <<< "$output"
}

@test "exec: a process killed between joining the container and its exec is an error (foreground and -d), nothing left" {
    # The container's filter kills whatever calls setresuid(1000, ...): the container's own process
    # runs as root and never does; `exec -u 1000` does, after setns, chroot and the filter's load
    # (noNewPrivileges false: before the user switch) and before it says READY.  So the process is
    # SIGSYS-killed at a fixed point before its exec, on every run.  An end of the sync socket
    # before READY must then be an error naming how the process died, not a success (-d) or a bare
    # 128+31 (foreground).
    update_config '.process.noNewPrivileges = false
        | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
            "syscalls": [{"names": ["setresuid"], "action": "SCMP_ACT_KILL_PROCESS",
                          "args": [{"index": 0, "value": 1000, "op": "SCMP_CMP_EQ"}]}]}'
    start_container
    local dirs dir
    mapfile -t dirs < <(cgroup_dirs_of "$INIT")
    [ ${#dirs[@]} -gt 0 ]
    for dir in "${dirs[@]}"; do
        [ "$(cat "$dir/cgroup.procs")" = "$INIT" ]
    done
    run_hull exec -u 1000 "$CID" sh -c 'echo ran > /killed-exec'
    [ "$status" -ne 0 ]
    [[ "$output" == *"the process died before its exec: killed by signal "*"(SIGSYS)"* ]]
    run_hull exec -d --pid-file "$TEST_DIR/pid" -u 1000 "$CID" sh -c 'echo ran > /killed-exec'
    [ "$status" -ne 0 ]
    [[ "$output" == *"the process died before its exec: killed by signal "*"(SIGSYS)"* ]]
    [ ! -e "$TEST_DIR/pid" ]
    [ ! -e "$ROOTFS/killed-exec" ]
    # nothing of either attempt is left: the cgroups hold the container's process alone
    for dir in "${dirs[@]}"; do
        [ "$(cat "$dir/cgroup.procs")" = "$INIT" ]
    done
    [ "$(hull ps "$CID" | tail -n +2 | wc -l)" -eq 1 ]
    # and the container still works
    run_hull exec "$CID" cat /proc/1/comm
    [ "$status" -eq 0 ]
    [ "$output" = sleep ]
    [ "$(status_of "$CID")" = running ]
}
