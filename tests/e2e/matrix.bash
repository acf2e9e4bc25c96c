# tests/e2e/matrix.bash: the test bodies that docker.bats and podman.bats share (their CLIs are
# nearly the same), and the checks of a container's output that containerd.bats shares too.
# A .bats file loads it after setup and keeps a thin @test wrapper per test (bats needs the @test
# lines in the .bats file), which calls matrix_TEST CLI and adds what only its engine has.
#
# CLI is the prefix of the file's functions (pm, dk), which every body uses:
#   CLI ARGS...            the engine's client with the file's configuration
#   CLI_cmd                an array: the command CLI last ran (for e2e_tty)
#   CLI_run_opts           the options of every `run` (runtime, cgroup parent, --network none)
#   CLI_cgroup NAME        the cgroup of container NAME, relative to a hierarchy's root
# Containers are named c1 and r1 (docker wants two characters at least).

# cli_run CLI ARGS...: CLI run $(CLI_run_opts) ARGS...
cli_run() {
    local cli=$1
    shift
    "$cli" run $("$cli"_run_opts) "$@"
}

# cli_state_is CLI NAME "STATUS RESTARTS EXITCODE"
cli_state_is() {
    [ "$("$1" inspect --format '{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}' "$2")" = "$3" ]
}

# gone PID: the process PID has exited (a zombie not yet reaped counts as gone).
gone() {
    [ ! -d "/proc/$1" ] || [ "$(awk '/^State/ {print $2}' "/proc/$1/status")" = Z ]
}

# The checks of $output shared by the three engines.

# check_tty STATUS TTY: a shell on a terminal said it is on TTY* and exited STATUS.
check_tty() {
    echo "$output"
    [ "$status" -eq "$1" ]
    [[ $output == *"$2"* ]]
}

# check_forks_refused: the shell forked until the pids limit stopped it.
check_forks_refused() {
    [[ $output == *"can't fork"* || $output == *"Resource temporarily unavailable"* ]]
}

# check_ro_write: a write was refused as to a read-only file system (and its rc=1 printed), and
# the mount the awk of mountinfo printed is ro.
check_ro_write() {
    [[ $output == *"Read-only file system"* ]]
    [[ $output == *"rc=1"* ]]
    grep -q '^ro,' <<< "$output"
}

# ro_data_cmd: the command of the ro bind test: read /data/file, try to write it, print /data's
# mount options.  check_ro_data: what it must print, and the host's file is unchanged.
ro_data_cmd='cat /data/file; { echo x > /data/file; } 2>&1; echo "rc=$?"; awk "\$5 == \"/data\" { print \$6 }" /proc/self/mountinfo'
check_ro_data() {
    echo "$output"
    grep -qx from-host <<< "$output"
    check_ro_write
    [ "$(cat "$ENGINE_DIR/vol/file")" = from-host ]
}

# user_cmd / check_user: the process runs as uid 1000, gid 1001 (real, effective, saved, fs).
user_cmd='id -u; id -g; grep -E "^(Uid|Gid):" /proc/self/status'
check_user() {
    echo "$output"
    [ "${lines[0]}" = 1000 ]
    [ "${lines[1]}" = 1001 ]
    [ "${lines[2]}" = "Uid:	1000	1000	1000	1000" ]
    [ "${lines[3]}" = "Gid:	1001	1001	1001	1001" ]
}

# check_exec_ns: the exec'd shell printed its and pid 1's pid and mnt namespaces, and pid 1's
# command line (sleep 1000): the same namespaces.
exec_ns_cmd='for f in /proc/1/ns/pid /proc/self/ns/pid /proc/1/ns/mnt /proc/self/ns/mnt; do readlink $f; done; tr "\0" " " < /proc/1/cmdline'
check_exec_ns() {
    [ "$status" -eq 0 ]
    echo "$output"
    local l
    l=($output)
    [ "${l[0]}" = "${l[1]}" ]
    [ "${l[2]}" = "${l[3]}" ]
    [ "${l[4]} ${l[5]}" = "sleep 1000" ]
}

# The bodies docker.bats and podman.bats share.

matrix_run_rm() {
    local cli=$1
    run cli_run "$cli" --rm "$E2E_IMAGE" sh -c 'echo "hello from $(cat /etc/hostname)"; echo to-stderr >&2; exit 3'
    echo "$output"
    [ "$status" -eq 3 ]
    [[ $output == *"hello from "* ]]
    [[ $output == *to-stderr* ]]
    run cli_run "$cli" --rm "$E2E_IMAGE" true
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

matrix_run_d_stop() {
    local cli=$1 pid
    cli_run "$cli" -d --name c1 "$E2E_IMAGE" sh -c 'trap "echo got TERM; exit 7" TERM; echo started; while :; do sleep 0.1; done'
    run "$cli" inspect --format '{{.State.Status}} {{.State.Pid}}' c1
    [[ $output == "running "* ]]
    pid=${output#running }
    [ "$pid" -gt 0 ]
    [ -d "/proc/$pid" ]
    # the container's process is in the container's cgroup on the host
    grep -qx "$pid" "/sys/fs/cgroup/pids/$("$cli"_cgroup c1)/cgroup.procs"
    # only stdio reaches the container
    run ls "/proc/$pid/fd"
    [ "$(echo $output)" = "0 1 2" ]
    run "$cli" stop -t 10 c1
    [ "$status" -eq 0 ]
    run "$cli" inspect --format '{{.State.Status}} {{.State.ExitCode}}' c1
    [ "$output" = "exited 7" ]
    run "$cli" logs c1
    [[ $output == *started*"got TERM"* ]]
    gone "$pid"
}

matrix_stop_grace() {
    local cli=$1 start elapsed
    cli_run "$cli" -d --name c1 "$E2E_IMAGE" sh -c 'trap "" TERM; while :; do sleep 0.1; done'
    start=$(date +%s%N)
    run "$cli" stop -t 2 c1
    [ "$status" -eq 0 ]
    elapsed=$((($(date +%s%N) - start) / 1000000))
    echo "stop took $elapsed ms"
    [ "$elapsed" -ge 1900 ]
    [ "$elapsed" -lt 10000 ]
    run "$cli" inspect --format '{{.State.Status}} {{.State.ExitCode}}' c1
    [ "$output" = "exited 137" ]
}

matrix_exec() {
    local cli=$1
    cli_run "$cli" -d --name c1 "$E2E_IMAGE" sleep 1000
    run "$cli" exec c1 sh -c "$exec_ns_cmd"
    check_exec_ns
    run "$cli" exec c1 sh -c 'exit 4'
    [ "$status" -eq 4 ]
    run "$cli" exec -e FOO=bar -w /tmp c1 sh -c 'echo "$FOO $PWD $(id -u)"'
    [ "$output" = "bar /tmp 0" ]
    run "$cli" exec -e FOO=bar -w /tmp -u 1000 c1 sh -c 'echo "$FOO $PWD $(id -u)"'
    [ "$output" = "bar /tmp 1000" ]
}

# matrix_exec_d CLI: the caller checks that its engine's top lists "sleep 999".
matrix_exec_d() {
    local cli=$1
    cli_run "$cli" -d --name c1 "$E2E_IMAGE" sleep 1000
    run "$cli" exec -d c1 sh -c 'echo detached > /tmp/marker; exec sleep 999'
    [ "$status" -eq 0 ]
    wait_for 25 "$cli" exec c1 test -s /tmp/marker
    run "$cli" exec c1 cat /tmp/marker
    [ "$output" = detached ]
    run "$cli" exec c1 ps -o args
    [[ $output == *"sleep 999"* ]]
}

matrix_exec_it() {
    local cli=$1
    cli_run "$cli" -d --name c1 "$E2E_IMAGE" sleep 1000
    run e2e_tty "$cli" $'tty; echo "typed-$((2 + 3))"; exit 5\n' exec -it c1 sh
    check_tty 5 /dev/pts/
    [[ $output == *"typed-5"* ]]
}

matrix_run_t() {
    local cli=$1
    run e2e_tty "$cli" '' run --rm -t $("$cli"_run_opts) "$E2E_IMAGE" \
        sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo both-tty; exit 6'
    check_tty 6 /dev/pts/0
    [[ $output == *both-tty* ]]
}

matrix_kill_usr1() {
    local cli=$1
    cli_run "$cli" -d --name c1 "$E2E_IMAGE" sh -c 'trap "echo got USR1 > /tmp/usr1" USR1; while :; do sleep 0.1; done'
    sleep 0.3
    run "$cli" kill -s USR1 c1
    [ "$status" -eq 0 ]
    wait_for 25 "$cli" exec c1 test -s /tmp/usr1
    run "$cli" exec c1 cat /tmp/usr1
    [ "$output" = "got USR1" ]
    run "$cli" inspect --format '{{.State.Status}}' c1
    [ "$output" = running ]
    run "$cli" kill c1
    [ "$status" -eq 0 ]
    run "$cli" wait c1
    [ "$output" = 137 ]
}

matrix_pause() {
    local cli=$1 cg a b
    cli_run "$cli" -d --name c1 "$E2E_IMAGE" sh -c 'i=0; while :; do i=$((i + 1)); echo $i > /tmp/tick; sleep 0.05; done'
    cg=$("$cli"_cgroup c1)
    run "$cli" pause c1
    [ "$status" -eq 0 ]
    run "$cli" inspect --format '{{.State.Status}}' c1
    [ "$output" = paused ]
    [ "$(cat "/sys/fs/cgroup/freezer/$cg/freezer.state")" = FROZEN ]
    run "$cli" unpause c1
    [ "$status" -eq 0 ]
    run "$cli" inspect --format '{{.State.Status}}' c1
    [ "$output" = running ]
    [ "$(cat "/sys/fs/cgroup/freezer/$cg/freezer.state")" = THAWED ]
    a=$("$cli" exec c1 cat /tmp/tick)
    sleep 0.3
    b=$("$cli" exec c1 cat /tmp/tick)
    [ "$a" != "$b" ]
}

matrix_update_memory() {
    local cli=$1 cg
    cli_run "$cli" -d --name c1 --memory 128m --memory-swap 256m "$E2E_IMAGE" sleep 1000
    cg=$("$cli"_cgroup c1)
    [ "$(cat "/sys/fs/cgroup/memory/$cg/memory.limit_in_bytes")" = 134217728 ]
    run "$cli" update --memory 64m c1
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(cat "/sys/fs/cgroup/memory/$cg/memory.limit_in_bytes")" = 67108864 ]
    run "$cli" exec c1 cat /sys/fs/cgroup/memory/memory.limit_in_bytes
    [ "$output" = 67108864 ]
}

matrix_limits() {
    local cli=$1
    run cli_run "$cli" --rm --memory 32m --pids-limit 20 "$E2E_IMAGE" sh -c '
        cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max
        n=0; for i in $(seq 40); do sleep 3 2>/dev/null & [ $? = 0 ] && n=$((n+1)); done
        wait 2>/dev/null
        echo "forks=$n"'
    echo "$output"
    [ "${lines[0]}" = 33554432 ]
    [ "${lines[1]}" = 20 ]
    check_forks_refused
}

matrix_read_only() {
    local cli=$1
    run cli_run "$cli" --rm --read-only --tmpfs /tmp "$E2E_IMAGE" sh -c 'touch /newfile 2>&1; echo "rc=$?"; touch /tmp/ok && echo tmp-writable; awk "\$5 == \"/\" { print \$6 }" /proc/self/mountinfo'
    echo "$output"
    check_ro_write
    [[ $output == *tmp-writable* ]]
}

matrix_volume_ro() {
    local cli=$1
    echo from-host > "$ENGINE_DIR/vol/file"
    run cli_run "$cli" --rm -v "$ENGINE_DIR/vol:/data:ro" "$E2E_IMAGE" sh -c "$ro_data_cmd"
    check_ro_data
}

matrix_caps() {
    local cli=$1
    run cli_run "$cli" --rm --cap-drop ALL --cap-add NET_ADMIN "$E2E_IMAGE" grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status
    echo "$output"
    [[ $output == *"CapPrm:	0000000000001000"* ]]
    [[ $output == *"CapEff:	0000000000001000"* ]]
    [[ $output == *"CapBnd:	0000000000001000"* ]]
    [[ $output == *"CapAmb:	0000000000000000"* ]]
    # and the default set without CAP_CHOWN: chown is refused
    run cli_run "$cli" --rm --cap-drop CHOWN "$E2E_IMAGE" sh -c 'touch /tmp/f; chown 1 /tmp/f; echo "rc=$?"'
    [[ $output == *"rc=1"* ]]
}

matrix_user() {
    local cli=$1
    run cli_run "$cli" --rm --user 1000:1001 "$E2E_IMAGE" sh -c "$user_cmd"
    check_user
    run cli_run "$cli" --rm --user nobody "$E2E_IMAGE" id -u
    [ "$output" = 65534 ]
}

matrix_restart() {
    local cli=$1 pid1
    cli_run "$cli" -d --name c1 "$E2E_IMAGE" sh -c 'echo boot >> /tmp/boots; exec sleep 1000'
    pid1=$("$cli" inspect --format '{{.State.Pid}}' c1)
    run "$cli" restart -t 0 c1
    [ "$status" -eq 0 ]
    run "$cli" inspect --format '{{.State.Status}} {{.State.Pid}}' c1
    [[ $output == "running "* ]]
    [ "${output#running }" != "$pid1" ]
    run "$cli" exec c1 wc -l /tmp/boots
    [ "$output" = "2 /tmp/boots" ]

    cli_run "$cli" -d --name r1 --restart on-failure:2 "$E2E_IMAGE" sh -c 'echo boot >> /tmp/boots; exit 1'
    wait_for 100 cli_state_is "$cli" r1 'exited 2 1'
    # the first run and two restarts, in one container root file system
    "$cli" cp r1:/tmp/boots "$ENGINE_DIR/boots"
    [ "$(wc -l < "$ENGINE_DIR/boots")" -eq 3 ]
}

# matrix_rm_f CLI [RM-OPTION...]: CLI rm -f RM-OPTION... c1
matrix_rm_f() {
    local cli=$1 pid cg
    shift
    cli_run "$cli" -d --name c1 "$E2E_IMAGE" sleep 1000
    pid=$("$cli" inspect --format '{{.State.Pid}}' c1)
    cg=$("$cli"_cgroup c1)
    [ -d "/sys/fs/cgroup/memory/$cg" ]
    run "$cli" rm -f "$@" c1
    [ "$status" -eq 0 ]
    run "$cli" container inspect c1
    [ "$status" -ne 0 ]
    gone "$pid"
    [ ! -d "/sys/fs/cgroup/memory/$cg" ]
    [ ! -d "/sys/fs/cgroup/pids/$cg" ]
}

# matrix_missing_executable CLI: the caller checks what its engine keeps of c1.
matrix_missing_executable() {
    local cli=$1
    run -127 cli_run "$cli" --rm --name c1 "$E2E_IMAGE" /nonexistent-binary
    echo "$output"
    [ "$status" -eq 127 ]
    [[ $output == *"/nonexistent-binary"* ]]
    [[ ${output,,} == *"no such file or directory"* || ${output,,} == *"not found"* ]]
}
