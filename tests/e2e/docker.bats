#!/usr/bin/env bats
# Docker (Debian's docker.io 20.10: dockerd, the containerd it starts, the runc v2 shim) with the
# runtime under test registered in daemon.json ("runtimes") and chosen by `docker run --runtime`.
# dockerd runs in the background with its own daemon.json, data root, exec root, pid file and
# socket in ENGINE_DIR, no bridge and no iptables (containers run with --network none), the
# cgroupfs driver and --cgroup-parent /CG_PARENT.  The client is Debian's /usr/bin/docker.

load setup
bats_require_minimum_version 1.5.0

DOCKER=/usr/bin/docker

setup_file() {
    e2e_setup_file docker || return 1
    local d=$ENGINE_DIR
    mkdir -p "$d/vol" "$d/client"
    # runc is dockerd's built-in runtime; hull is added by path
    local runtimes='{}'
    [ "$E2E_RUNTIME" = runc ] || runtimes="{\"$E2E_RUNTIME\": {\"path\": \"$RUNTIME_BIN\"}}"
    cat > "$d/daemon.json" <<EOF
{
  "runtimes": $runtimes,
  "deprecated-key-path": "$d/key.json",
  "default-ulimits": {
    "nofile": {"Name": "nofile", "Soft": 1024, "Hard": 1024},
    "nproc": {"Name": "nproc", "Soft": 4096, "Hard": 4096}
  }
}
EOF
    dockerd --config-file "$d/daemon.json" --data-root "$d/root" --exec-root "$d/exec" \
        --pidfile "$d/dockerd.pid" -H "unix://$d/docker.sock" \
        --bridge=none --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
        --userland-proxy=false --storage-driver=overlay2 \
        --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "/$CG_PARENT" \
        > "$d/dockerd.log" 2>&1 3>&- &
    wait_for 100 dk version > /dev/null 2>&1 || {
        tail -n 20 "$d/dockerd.log" >&2
        return 1
    }
    dk load -q -i "$E2E_TMP/image/busybox-docker.tar" | sed 's/^/# /' >&3
}

teardown_file() {
    [ -n "${ENGINE_DIR:-}" ] || return 0
    dk_remove_all
    stop_daemon "$ENGINE_DIR/dockerd.pid"
    e2e_teardown_file
}

teardown() {
    dk_remove_all
    local left
    left=$(e2e_stray_cgroups; dk_runtime_states)
    if [ -n "$left" ]; then
        echo "left after docker rm -f: $left" >&2
        return 1
    fi
}

# the runtime's --root: dockerd's exec root/runtime-NAME/moby
dk_runtime_states() {
    local r
    for r in "$ENGINE_DIR"/exec/runtime-*/moby; do
        runtime_states "$r"
    done
}

dk_cmd=()
dk() {
    dk_cmd=(env DOCKER_HOST="unix://$ENGINE_DIR/docker.sock" DOCKER_CONFIG="$ENGINE_DIR/client" "$DOCKER")
    timeout --foreground -k 5 "$E2E_TIMEOUT" "${dk_cmd[@]}" "$@"
}

dk_remove_all() {
    [ -f "$ENGINE_DIR/dockerd.pid" ] || return 0
    local ids
    ids=$(dk ps -aq 2> /dev/null)
    [ -z "$ids" ] || dk rm -f $ids > /dev/null 2>&1
}

# drun ARGS...: docker run with the runtime under test, without network
drun() {
    dk run --runtime "$E2E_RUNTIME" --network none "$@"
}

# dk_tty INPUT ARGS...: docker ARGS under a pseudo-terminal (script(1)), INPUT as its keyboard.
dk_tty() {
    local input=$1
    shift
    dk --version > /dev/null
    local cmd
    cmd=$(printf '%q ' "${dk_cmd[@]}" "$@")
    printf '%s' "$input" | timeout -k 5 "$E2E_TIMEOUT" script -eqc "$cmd" /dev/null
}

dk_state() {
    dk inspect --format '{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}' "$1"
}

dk_state_is() {
    [ "$(dk_state "$1")" = "$2" ]
}

dk_cgroup() {
    echo "$CG_PARENT/$(dk inspect --format '{{.Id}}' "$1")"
}

@test "docker: the runtime is registered" {
    run dk info --format '{{json .Runtimes}}'
    echo "$output"
    [[ $output == *"\"$E2E_RUNTIME\""* ]]
    [ "$E2E_RUNTIME" = runc ] || [[ $output == *"$RUNTIME_BIN"* ]]
}

@test "docker: run --rm prints the output and returns the exit code" {
    run drun --rm "$E2E_IMAGE" sh -c 'echo "hello from $(cat /etc/hostname)"; echo to-stderr >&2; exit 3'
    echo "$output"
    [ "$status" -eq 3 ]
    [[ $output == *"hello from "* ]]
    [[ $output == *to-stderr* ]]
    run drun --rm "$E2E_IMAGE" true
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "docker: run -d, then stop: the TERM handler runs and its exit code is kept" {
    drun -d --name c1 "$E2E_IMAGE" sh -c 'trap "echo got TERM; exit 7" TERM; echo started; while :; do sleep 0.1; done'
    run dk inspect --format '{{.State.Status}} {{.State.Pid}}' c1
    [[ $output == "running "* ]]
    pid=${output#running }
    [ -d "/proc/$pid" ]
    grep -qx "$pid" "/sys/fs/cgroup/pids/$(dk_cgroup c1)/cgroup.procs"
    run ls "/proc/$pid/fd"
    [ "$(echo $output)" = "0 1 2" ]
    run dk stop -t 10 c1
    [ "$status" -eq 0 ]
    run dk inspect --format '{{.State.Status}} {{.State.ExitCode}}' c1
    [ "$output" = "exited 7" ]
    run dk logs c1
    [[ $output == *started*"got TERM"* ]]
}

@test "docker: stop with a grace period kills a process that ignores TERM after it" {
    drun -d --name c1 "$E2E_IMAGE" sh -c 'trap "" TERM; while :; do sleep 0.1; done'
    start=$(date +%s%N)
    run dk stop -t 2 c1
    [ "$status" -eq 0 ]
    elapsed=$((($(date +%s%N) - start) / 1000000))
    echo "stop took $elapsed ms"
    [ "$elapsed" -ge 1900 ]
    [ "$elapsed" -lt 10000 ]
    run dk inspect --format '{{.State.Status}} {{.State.ExitCode}}' c1
    [ "$output" = "exited 137" ]
}

@test "docker: exec runs in the container's namespaces and returns the exit code" {
    drun -d --name c1 "$E2E_IMAGE" sleep 1000
    run dk exec c1 sh -c 'for f in /proc/1/ns/pid /proc/self/ns/pid /proc/1/ns/mnt /proc/self/ns/mnt; do readlink $f; done; tr "\0" " " < /proc/1/cmdline'
    [ "$status" -eq 0 ]
    echo "$output"
    l=($output)
    [ "${l[0]}" = "${l[1]}" ]
    [ "${l[2]}" = "${l[3]}" ]
    [ "${l[4]} ${l[5]}" = "sleep 1000" ]
    run dk exec c1 sh -c 'exit 4'
    [ "$status" -eq 4 ]
    run dk exec -e FOO=bar -w /tmp -u 1000 c1 sh -c 'echo "$FOO $PWD $(id -u)"'
    [ "$output" = "bar /tmp 1000" ]
}

@test "docker: exec -d leaves the process running; top lists it" {
    drun -d --name c1 "$E2E_IMAGE" sleep 1000
    run dk exec -d c1 sh -c 'echo detached > /tmp/marker; exec sleep 999'
    [ "$status" -eq 0 ]
    wait_for 25 dk exec c1 test -s /tmp/marker
    run dk exec c1 ps -o args
    [[ $output == *"sleep 999"* ]]
    # docker top: the pids come from the runtime's ps --format json
    run dk top c1
    echo "$output"
    [[ $output == *"sleep 999"* ]]
    [[ $output == *"sleep 1000"* ]]
}

@test "docker: exec -it relays a terminal both ways and returns the exit code" {
    drun -d --name c1 "$E2E_IMAGE" sleep 1000
    run dk_tty $'tty; echo "typed-$((2 + 3))"; exit 5\n' exec -it c1 sh
    echo "$output"
    [ "$status" -eq 5 ]
    [[ $output == *"/dev/pts/"* ]]
    [[ $output == *"typed-5"* ]]
}

@test "docker: run -t gives the process a terminal" {
    run dk_tty '' run --rm -t --runtime "$E2E_RUNTIME" --network none "$E2E_IMAGE" \
        sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo both-tty; exit 6'
    echo "$output"
    [ "$status" -eq 6 ]
    [[ $output == *"/dev/pts/0"* ]]
    [[ $output == *both-tty* ]]
}

@test "docker: kill -s USR1 is delivered to the container's process" {
    drun -d --name c1 "$E2E_IMAGE" sh -c 'trap "echo got USR1 > /tmp/usr1" USR1; while :; do sleep 0.1; done'
    sleep 0.3
    run dk kill -s USR1 c1
    [ "$status" -eq 0 ]
    wait_for 25 dk exec c1 test -s /tmp/usr1
    run dk exec c1 cat /tmp/usr1
    [ "$output" = "got USR1" ]
    run dk inspect --format '{{.State.Status}}' c1
    [ "$output" = running ]
    run dk kill c1
    [ "$status" -eq 0 ]
    run dk wait c1
    [ "$output" = 137 ]
}

@test "docker: pause freezes the container, unpause thaws it" {
    drun -d --name c1 "$E2E_IMAGE" sh -c 'i=0; while :; do i=$((i + 1)); echo $i > /tmp/tick; sleep 0.05; done'
    cg=$(dk_cgroup c1)
    run dk pause c1
    [ "$status" -eq 0 ]
    run dk inspect --format '{{.State.Status}}' c1
    [ "$output" = paused ]
    [ "$(cat "/sys/fs/cgroup/freezer/$cg/freezer.state")" = FROZEN ]
    run dk unpause c1
    [ "$status" -eq 0 ]
    run dk inspect --format '{{.State.Status}}' c1
    [ "$output" = running ]
    [ "$(cat "/sys/fs/cgroup/freezer/$cg/freezer.state")" = THAWED ]
    a=$(dk exec c1 cat /tmp/tick)
    sleep 0.3
    b=$(dk exec c1 cat /tmp/tick)
    [ "$a" != "$b" ]
}

@test "docker: update --memory changes the running container's limit" {
    drun -d --name c1 --memory 128m --memory-swap 256m "$E2E_IMAGE" sleep 1000
    cg=$(dk_cgroup c1)
    [ "$(cat "/sys/fs/cgroup/memory/$cg/memory.limit_in_bytes")" = 134217728 ]
    run dk update --memory 64m c1
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(cat "/sys/fs/cgroup/memory/$cg/memory.limit_in_bytes")" = 67108864 ]
    run dk exec c1 cat /sys/fs/cgroup/memory/memory.limit_in_bytes
    [ "$output" = 67108864 ]
    run dk inspect --format '{{.HostConfig.Memory}}' c1
    [ "$output" = 67108864 ]
}

@test "docker: --memory and --pids-limit are in force inside the container" {
    run drun --rm --memory 32m --pids-limit 20 "$E2E_IMAGE" sh -c '
        cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max
        n=0; for i in $(seq 40); do sleep 3 2>/dev/null & [ $? = 0 ] && n=$((n+1)); done
        wait 2>/dev/null
        echo "forks=$n"'
    echo "$output"
    [ "${lines[0]}" = 33554432 ]
    [ "${lines[1]}" = 20 ]
    [[ $output == *"can't fork"* || $output == *"Resource temporarily unavailable"* ]]
}

@test "docker: --read-only makes the root file system read-only" {
    run drun --rm --read-only --tmpfs /tmp "$E2E_IMAGE" sh -c 'touch /newfile 2>&1; echo "rc=$?"; touch /tmp/ok && echo tmp-writable; awk "\$5 == \"/\" { print \$6 }" /proc/self/mountinfo'
    echo "$output"
    [[ $output == *"Read-only file system"* ]]
    [[ $output == *"rc=1"* ]]
    [[ $output == *tmp-writable* ]]
    grep -q '^ro,' <<< "$output"
}

@test "docker: -v HOST:CTR:ro binds the host directory read-only" {
    echo from-host > "$ENGINE_DIR/vol/file"
    run drun --rm -v "$ENGINE_DIR/vol:/data:ro" "$E2E_IMAGE" sh -c 'cat /data/file; { echo x > /data/file; } 2>&1; echo "rc=$?"; awk "\$5 == \"/data\" { print \$6 }" /proc/self/mountinfo'
    echo "$output"
    grep -qx from-host <<< "$output"
    [[ $output == *"Read-only file system"* ]]
    [[ $output == *"rc=1"* ]]
    grep -q '^ro,' <<< "$output"
    [ "$(cat "$ENGINE_DIR/vol/file")" = from-host ]
}

@test "docker: --cap-drop ALL --cap-add NET_ADMIN leaves exactly CAP_NET_ADMIN" {
    run drun --rm --cap-drop ALL --cap-add NET_ADMIN "$E2E_IMAGE" grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status
    echo "$output"
    [[ $output == *"CapPrm:	0000000000001000"* ]]
    [[ $output == *"CapEff:	0000000000001000"* ]]
    [[ $output == *"CapBnd:	0000000000001000"* ]]
    [[ $output == *"CapAmb:	0000000000000000"* ]]
    run drun --rm --cap-drop CHOWN "$E2E_IMAGE" sh -c 'touch /tmp/f; chown 1 /tmp/f; echo "rc=$?"'
    [[ $output == *"rc=1"* ]]
}

@test "docker: --user runs the process as that user and group" {
    run drun --rm --user 1000:1001 "$E2E_IMAGE" sh -c 'id -u; id -g; grep -E "^(Uid|Gid):" /proc/self/status'
    echo "$output"
    [ "${lines[0]}" = 1000 ]
    [ "${lines[1]}" = 1001 ]
    [ "${lines[2]}" = "Uid:	1000	1000	1000	1000" ]
    [ "${lines[3]}" = "Gid:	1001	1001	1001	1001" ]
}

@test "docker: restart runs the container again, and --restart on-failure restarts it" {
    drun -d --name c1 "$E2E_IMAGE" sh -c 'echo boot >> /tmp/boots; exec sleep 1000'
    pid1=$(dk inspect --format '{{.State.Pid}}' c1)
    run dk restart -t 0 c1
    [ "$status" -eq 0 ]
    run dk inspect --format '{{.State.Status}} {{.State.Pid}}' c1
    [[ $output == "running "* ]]
    [ "${output#running }" != "$pid1" ]
    run dk exec c1 wc -l /tmp/boots
    [ "$output" = "2 /tmp/boots" ]

    drun -d --name r1 --restart on-failure:2 "$E2E_IMAGE" sh -c 'echo boot >> /tmp/boots; exit 1'
    wait_for 100 dk_state_is r1 'exited 2 1'
    dk cp r1:/tmp/boots "$ENGINE_DIR/boots"
    [ "$(wc -l < "$ENGINE_DIR/boots")" -eq 3 ]
}

@test "docker: rm -f removes a running container, its process and its cgroup" {
    drun -d --name c1 "$E2E_IMAGE" sleep 1000
    pid=$(dk inspect --format '{{.State.Pid}}' c1)
    cg=$(dk_cgroup c1)
    [ -d "/sys/fs/cgroup/memory/$cg" ]
    run dk rm -f c1
    [ "$status" -eq 0 ]
    run dk container inspect c1
    [ "$status" -ne 0 ]
    [ ! -d "/proc/$pid" ] || [ "$(awk '/^State/ {print $2}' "/proc/$pid/status")" = Z ]
    [ ! -d "/sys/fs/cgroup/memory/$cg" ]
    [ ! -d "/sys/fs/cgroup/pids/$cg" ]
}

@test "docker: a missing executable is an error the user sees, from create" {
    run -127 drun --rm --name c1 "$E2E_IMAGE" /nonexistent-binary
    echo "$output"
    [[ $output == *"/nonexistent-binary"* ]]
    [[ ${output,,} == *"no such file or directory"* || ${output,,} == *"not found"* ]]
    run dk inspect --format '{{.State.Status}}' c1
    [ "$status" -ne 0 ] || [ "$output" = created ]
}

@test "docker: nothing is left behind once dockerd stops" {
    dk_remove_all
    stop_daemon "$ENGINE_DIR/dockerd.pid"
    run e2e_leftovers
    echo "$output"
    [ -z "$output" ]
    run dk_runtime_states
    [ -z "$output" ]
}
