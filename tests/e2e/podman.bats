#!/usr/bin/env bats
# Podman (Debian's 4.3, conmon, the cgroupfs manager) with the runtime under test as its OCI runtime,
# configured the way README.md tells a user to (containers.conf [engine.runtimes]), with its own
# containers.conf, storage.conf, root, run root and tmp dir under ENGINE_DIR.
# Podman passes no --root to the runtime (and its cleanup process drops --runtime-flag), so the
# runtime keeps its state in its default root (/run/hull, /run/runc); teardown checks that no
# container of this file is left there.

load setup
bats_require_minimum_version 1.5.0

setup_file() {
    e2e_setup_file podman || return 1
    local d=$ENGINE_DIR
    mkdir -p "$d/networks" "$d/tmp" "$d/vol"
    cat > "$d/containers.conf" <<EOF
[containers]
# rootful podman asks for nofile=1048576 and nproc=4194304: above this machine's hard limits
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
netns = "none"
log_driver = "k8s-file"

[network]
network_config_dir = "$d/networks"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$d/events.log"
tmp_dir = "$d/tmp"
volume_path = "$d/volumes"
runtime = "$E2E_RUNTIME"
runtime_supports_json = ["crun", "runc", "kata", "runsc", "youki", "krun", "hull"]
runtime_supports_nocgroups = ["crun", "krun", "hull"]

[engine.runtimes]
$E2E_RUNTIME = ["$RUNTIME_BIN"]
EOF
    cat > "$d/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$d/root"
runroot = "$d/run"
EOF
    : > "$d/registries.conf"
    pm load -q -i "$E2E_TMP/image/busybox-docker.tar" | sed "s/^/# /" >&3
}

teardown_file() {
    [ -z "${ENGINE_DIR:-}" ] || pm rm -af -t 0 > /dev/null 2>&1 || true
    e2e_teardown_file
}

teardown() {
    pm rm -af -t 0 > /dev/null 2>&1
    local left
    left=$(e2e_stray_cgroups conmon; pm_runtime_states)
    if [ -n "$left" ]; then
        echo "left after podman rm -af: $left" >&2
        return 1
    fi
}

# pm_runtime_states: the runtime's state directories of this file's containers (their ids are in
# podman's storage under ENGINE_DIR).
pm_runtime_states() {
    local d
    for d in "$ENGINE_DIR"/root/overlay-containers/*/; do
        d=$(basename "$d")
        [ -e "$RUNTIME_STATE_ROOT/$d" ] && echo "state $RUNTIME_STATE_ROOT/$d"
    done
    return 0
}

# pm ARGS...: podman with this file's configuration.
pm_cmd=()
pm() {
    pm_cmd=(env CONTAINERS_CONF="$ENGINE_DIR/containers.conf"
        CONTAINERS_STORAGE_CONF="$ENGINE_DIR/storage.conf"
        CONTAINERS_REGISTRIES_CONF="$ENGINE_DIR/registries.conf"
        podman)
    timeout --foreground -k 5 "$E2E_TIMEOUT" "${pm_cmd[@]}" "$@"
}

# prun ARGS...: podman run in this file's cgroup parent, without network.
prun() {
    pm run --cgroup-parent "/$CG_PARENT" --network none "$@"
}

# pm_tty INPUT ARGS...: podman ARGS under a pseudo-terminal (script(1)), INPUT as its keyboard.
pm_tty() {
    local input=$1
    shift
    pm --version > /dev/null
    local cmd
    cmd=$(printf '%q ' "${pm_cmd[@]}" "$@")
    printf '%s' "$input" | timeout -k 5 "$E2E_TIMEOUT" script -eqc "$cmd" /dev/null
}

# pm_state_is NAME "STATUS RESTARTS EXITCODE"
pm_state_is() {
    [ "$(pm inspect --format '{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}' "$1")" = "$2" ]
}

# cgroup of container NAME below CG_PARENT
pm_cgroup() {
    echo "$CG_PARENT/libpod-$(pm inspect --format '{{.Id}}' "$1")"
}

@test "podman: info names the runtime and its version" {
    run pm info --format '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Path}} {{.Host.OCIRuntime.Version}}'
    [ "$status" -eq 0 ]
    [[ $output == "$E2E_RUNTIME $RUNTIME_BIN $E2E_RUNTIME version "* ]]
}

@test "podman: run --rm prints the output and returns the exit code" {
    run prun --rm "$E2E_IMAGE" sh -c 'echo "hello from $(cat /etc/hostname)"; echo to-stderr >&2; exit 3'
    echo "$output"
    [ "$status" -eq 3 ]
    [[ $output == *"hello from "* ]]
    [[ $output == *"to-stderr"* ]]
    run prun --rm "$E2E_IMAGE" true
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "podman: run -d, then stop: the TERM handler runs and its exit code is kept" {
    prun -d --name c "$E2E_IMAGE" sh -c 'trap "echo got TERM; exit 7" TERM; echo started; while :; do sleep 0.1; done'
    run pm inspect --format '{{.State.Status}} {{.State.Pid}}' c
    [[ $output == "running "* ]]
    pid=${output#running }
    [ "$pid" -gt 0 ]
    [ -d "/proc/$pid" ]
    # the container's process is in the container's cgroup on the host
    grep -q "^$pid\$" "/sys/fs/cgroup/pids/$(pm_cgroup c)/cgroup.procs"
    run pm stop -t 10 c
    [ "$status" -eq 0 ]
    run pm inspect --format '{{.State.Status}} {{.State.ExitCode}}' c
    [ "$output" = "exited 7" ]
    run pm logs c
    [[ $output == *started*"got TERM"* ]]
    [ ! -d "/proc/$pid" ] || [ "$(awk '/^State/ {print $2}' "/proc/$pid/status")" = Z ]
}

@test "podman: stop with a grace period kills a process that ignores TERM after it" {
    prun -d --name c "$E2E_IMAGE" sh -c 'trap "" TERM; while :; do sleep 0.1; done'
    start=$(date +%s%N)
    run pm stop -t 2 c
    [ "$status" -eq 0 ]
    elapsed=$((($(date +%s%N) - start) / 1000000))
    echo "stop took $elapsed ms"
    [ "$elapsed" -ge 1900 ]
    [ "$elapsed" -lt 10000 ]
    run pm inspect --format '{{.State.Status}} {{.State.ExitCode}}' c
    [ "$output" = "exited 137" ]
}

@test "podman: exec runs in the container's namespaces and returns the exit code" {
    prun -d --name c "$E2E_IMAGE" sleep 1000
    run pm exec c sh -c 'for f in /proc/1/ns/pid /proc/self/ns/pid /proc/1/ns/mnt /proc/self/ns/mnt; do readlink $f; done; tr "\0" " " < /proc/1/cmdline'
    [ "$status" -eq 0 ]
    echo "$output"
    lines_=($output)
    [ "${lines_[0]}" = "${lines_[1]}" ]
    [ "${lines_[2]}" = "${lines_[3]}" ]
    [ "${lines_[4]}" = sleep ]
    [ "${lines_[5]}" = 1000 ]
    run pm exec c sh -c 'exit 4'
    [ "$status" -eq 4 ]
    run pm exec -e FOO=bar -w /tmp c sh -c 'echo "$FOO $PWD $(id -u)"'
    [ "$output" = "bar /tmp 0" ]
}

@test "podman: exec -d leaves the process running in the container" {
    prun -d --name c "$E2E_IMAGE" sleep 1000
    run pm exec -d c sh -c 'echo detached > /tmp/marker; exec sleep 999'
    [ "$status" -eq 0 ]
    wait_for 25 pm exec c test -s /tmp/marker
    run pm exec c cat /tmp/marker
    [ "$output" = detached ]
    run pm exec c ps -o args
    [[ $output == *"sleep 999"* ]]
    run pm top c args
    [[ $output == *"sleep 999"* ]]
}

@test "podman: exec -it relays a terminal both ways and returns the exit code" {
    prun -d --name c "$E2E_IMAGE" sleep 1000
    run pm_tty $'tty; echo "typed-$((2 + 3))"; exit 5\n' exec -it c sh
    echo "$output"
    [ "$status" -eq 5 ]
    [[ $output == *"/dev/pts/"* ]]
    [[ $output == *"typed-5"* ]]
}

@test "podman: run -t gives the process a terminal" {
    run pm_tty '' run --rm -t --cgroup-parent "/$CG_PARENT" --network none "$E2E_IMAGE" \
        sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo both-tty; exit 6'
    echo "$output"
    [ "$status" -eq 6 ]
    [[ $output == *"/dev/pts/0"* ]]
    [[ $output == *both-tty* ]]
}

@test "podman: kill -s USR1 is delivered to the container's process" {
    prun -d --name c "$E2E_IMAGE" sh -c 'trap "echo got USR1 > /tmp/usr1" USR1; while :; do sleep 0.1; done'
    sleep 0.3
    run pm kill -s USR1 c
    [ "$status" -eq 0 ]
    wait_for 25 pm exec c test -s /tmp/usr1
    run pm exec c cat /tmp/usr1
    [ "$output" = "got USR1" ]
    run pm inspect --format '{{.State.Status}}' c
    [ "$output" = running ]
    run pm kill c
    [ "$status" -eq 0 ]
    run pm wait c
    [ "$output" = 137 ]
}

@test "podman: pause freezes the container, unpause thaws it" {
    prun -d --name c "$E2E_IMAGE" sh -c 'i=0; while :; do i=$((i + 1)); echo $i > /tmp/tick; sleep 0.05; done'
    cg=$(pm_cgroup c)
    run pm pause c
    [ "$status" -eq 0 ]
    run pm inspect --format '{{.State.Status}}' c
    [ "$output" = paused ]
    [ "$(cat "/sys/fs/cgroup/freezer/$cg/freezer.state")" = FROZEN ]
    run pm unpause c
    [ "$status" -eq 0 ]
    run pm inspect --format '{{.State.Status}}' c
    [ "$output" = running ]
    [ "$(cat "/sys/fs/cgroup/freezer/$cg/freezer.state")" = THAWED ]
    a=$(pm exec c cat /tmp/tick)
    sleep 0.3
    b=$(pm exec c cat /tmp/tick)
    [ "$a" != "$b" ]
}

@test "podman: update --memory changes the running container's limit" {
    prun -d --name c --memory 128m "$E2E_IMAGE" sleep 1000
    cg=$(pm_cgroup c)
    [ "$(cat "/sys/fs/cgroup/memory/$cg/memory.limit_in_bytes")" = 134217728 ]
    run pm update --memory 64m c
    [ "$status" -eq 0 ]
    [ "$(cat "/sys/fs/cgroup/memory/$cg/memory.limit_in_bytes")" = 67108864 ]
    run pm exec c cat /sys/fs/cgroup/memory/memory.limit_in_bytes
    [ "$output" = 67108864 ]
}

@test "podman: --memory and --pids-limit are in force inside the container" {
    run prun --rm --memory 32m --pids-limit 20 "$E2E_IMAGE" sh -c '
        cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max
        n=0; for i in $(seq 40); do sleep 3 2>/dev/null & [ $? = 0 ] && n=$((n+1)); done
        wait 2>/dev/null
        echo "forks=$n"'
    echo "$output"
    [ "${lines[0]}" = 33554432 ]
    [ "${lines[1]}" = 20 ]
    # the shell forks until the pids limit stops it
    [[ $output == *"can't fork"* || $output == *"Resource temporarily unavailable"* ]]
}

@test "podman: --read-only makes the root file system read-only" {
    run prun --rm --read-only "$E2E_IMAGE" sh -c 'touch /newfile 2>&1; echo "rc=$?"; touch /tmp/ok && echo tmp-writable; awk "\$5 == \"/\" { print \$6 }" /proc/self/mountinfo'
    echo "$output"
    [[ $output == *"Read-only file system"* ]]
    [[ $output == *"rc=1"* ]]
    [[ $output == *tmp-writable* ]]
    grep -q '^ro,' <<< "$output"
}

@test "podman: -v HOST:CTR:ro binds the host directory read-only" {
    echo from-host > "$ENGINE_DIR/vol/file"
    run prun --rm -v "$ENGINE_DIR/vol:/data:ro" "$E2E_IMAGE" sh -c 'cat /data/file; { echo x > /data/file; } 2>&1; echo "rc=$?"; awk "\$5 == \"/data\" { print \$6 }" /proc/self/mountinfo'
    echo "$output"
    grep -qx from-host <<< "$output"
    [[ $output == *"Read-only file system"* ]]
    [[ $output == *"rc=1"* ]]
    grep -q '^ro,' <<< "$output"
    [ "$(cat "$ENGINE_DIR/vol/file")" = from-host ]
}

@test "podman: --cap-drop all --cap-add NET_ADMIN leaves exactly CAP_NET_ADMIN" {
    run prun --rm --cap-drop all --cap-add NET_ADMIN "$E2E_IMAGE" grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status
    echo "$output"
    [[ $output == *"CapPrm:	0000000000001000"* ]]
    [[ $output == *"CapEff:	0000000000001000"* ]]
    [[ $output == *"CapBnd:	0000000000001000"* ]]
    [[ $output == *"CapAmb:	0000000000000000"* ]]
    # and the default set without CAP_CHOWN: chown is refused
    run prun --rm --cap-drop CHOWN "$E2E_IMAGE" sh -c 'touch /tmp/f; chown 1 /tmp/f; echo "rc=$?"'
    [[ $output == *"rc=1"* ]]
}

@test "podman: --user runs the process as that user and group" {
    run prun --rm --user 1000:1001 "$E2E_IMAGE" sh -c 'id -u; id -g; grep -E "^(Uid|Gid):" /proc/self/status'
    echo "$output"
    [ "${lines[0]}" = 1000 ]
    [ "${lines[1]}" = 1001 ]
    [[ ${lines[2]} == "Uid:	1000	1000	1000	1000" ]]
    [[ ${lines[3]} == "Gid:	1001	1001	1001	1001" ]]
    run prun --rm --user nobody "$E2E_IMAGE" id -u
    [ "$output" = 65534 ]
}

@test "podman: restart runs the container again, and --restart on-failure restarts it" {
    prun -d --name c "$E2E_IMAGE" sh -c 'echo boot >> /tmp/boots; exec sleep 1000'
    pid1=$(pm inspect --format '{{.State.Pid}}' c)
    run pm restart -t 0 c
    [ "$status" -eq 0 ]
    run pm inspect --format '{{.State.Status}} {{.State.Pid}}' c
    [[ $output == "running "* ]]
    [ "${output#running }" != "$pid1" ]
    run pm exec c wc -l /tmp/boots
    [[ $output == "2 /tmp/boots" ]]

    prun -d --name r --restart on-failure:2 "$E2E_IMAGE" sh -c 'echo boot >> /tmp/boots; exit 1'
    wait_for 50 pm_state_is r 'exited 2 1'
    # the first run and two restarts, in one container root file system
    pm cp r:/tmp/boots "$ENGINE_DIR/boots"
    [ "$(wc -l < "$ENGINE_DIR/boots")" -eq 3 ]
}

@test "podman: rm -f removes a running container, its process and its cgroup" {
    prun -d --name c "$E2E_IMAGE" sleep 1000
    pid=$(pm inspect --format '{{.State.Pid}}' c)
    cg=$(pm_cgroup c)
    [ -d "/sys/fs/cgroup/memory/$cg" ]
    run pm rm -f -t 0 c
    [ "$status" -eq 0 ]
    run pm container exists c
    [ "$status" -eq 1 ]
    [ ! -d "/proc/$pid" ] || [ "$(awk '/^State/ {print $2}' "/proc/$pid/status")" = Z ]
    [ ! -d "/sys/fs/cgroup/memory/$cg" ]
    [ ! -d "/sys/fs/cgroup/pids/$cg" ]
}

@test "podman: --init runs catatonit as pid 1 and the command under it" {
    run prun --rm --init "$E2E_IMAGE" sh -c 'tr "\0" " " < /proc/1/cmdline; echo; grep PPid /proc/$$/status; echo "me=$$"'
    echo "$output"
    [[ ${lines[0]} == "/run/podman-init -- sh -c "* ]]
    [ "${lines[1]}" = "PPid:	1" ]
    [ "${lines[2]}" != me=1 ]
}

@test "podman: a missing executable is an error the user sees, from create" {
    run -127 prun --rm "$E2E_IMAGE" /nonexistent-binary
    echo "$output"
    [ "$status" -eq 127 ]
    [[ $output == *"/nonexistent-binary"* ]]
    [[ ${output,,} == *"no such file or directory"* || ${output,,} == *"not found"* ]]
    # the container was never started
    run pm ps -a --format '{{.Names}}'
    [ -z "$output" ]
}

@test "podman: nothing is left behind" {
    pm rm -af -t 0
    run pm ps -aq
    [ -z "$output" ]
    # what podman itself keeps (its conmon cgroup) goes with the file's teardown
    run e2e_leftovers conmon
    echo "$output"
    [ -z "$(grep -v '^mount .*/root/overlay$' <<< "$output")" ]
    run pm_runtime_states
    [ -z "$output" ]
}
