#!/usr/bin/env bats
# Docker (Debian's docker.io 20.10: dockerd, the containerd it starts, the runc v2 shim) with the
# runtime under test registered in daemon.json ("runtimes") and chosen by `docker run --runtime`.
# dockerd runs in the background with its own daemon.json, data root, exec root, pid file and
# socket in ENGINE_DIR, no bridge and no iptables (containers run with --network none), the
# cgroupfs driver and --cgroup-parent /CG_PARENT.  The client is Debian's /usr/bin/docker.

load setup
load matrix
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

# dk_run_opts: docker run with the runtime under test, without network
dk_run_opts() {
    echo --runtime "$E2E_RUNTIME" --network none
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

# The matrix docker shares with podman: tests/e2e/matrix.bash.

@test "docker: run --rm prints the output and returns the exit code" {
    matrix_run_rm dk
}

@test "docker: run -d, then stop: the TERM handler runs and its exit code is kept" {
    matrix_run_d_stop dk
}

@test "docker: stop with a grace period kills a process that ignores TERM after it" {
    matrix_stop_grace dk
}

@test "docker: exec runs in the container's namespaces and returns the exit code" {
    matrix_exec dk
}

@test "docker: exec -d leaves the process running; top lists it" {
    matrix_exec_d dk
    # docker top: the pids come from the runtime's ps --format json
    run dk top c1
    echo "$output"
    [[ $output == *"sleep 999"* ]]
    [[ $output == *"sleep 1000"* ]]
}

@test "docker: exec -it relays a terminal both ways and returns the exit code" {
    matrix_exec_it dk
}

@test "docker: run -t gives the process a terminal" {
    matrix_run_t dk
}

@test "docker: kill -s USR1 is delivered to the container's process" {
    matrix_kill_usr1 dk
}

@test "docker: pause freezes the container, unpause thaws it" {
    matrix_pause dk
}

@test "docker: update --memory changes the running container's limit" {
    matrix_update_memory dk
    run dk inspect --format '{{.HostConfig.Memory}}' c1
    [ "$output" = 67108864 ]
}

@test "docker: --memory and --pids-limit are in force inside the container" {
    matrix_limits dk
}

@test "docker: --read-only makes the root file system read-only" {
    matrix_read_only dk
}

@test "docker: -v HOST:CTR:ro binds the host directory read-only" {
    matrix_volume_ro dk
}

@test "docker: --cap-drop ALL --cap-add NET_ADMIN leaves exactly CAP_NET_ADMIN" {
    matrix_caps dk
}

@test "docker: --user runs the process as that user and group" {
    matrix_user dk
}

@test "docker: restart runs the container again, and --restart on-failure restarts it" {
    matrix_restart dk
}

@test "docker: rm -f removes a running container, its process and its cgroup" {
    matrix_rm_f dk
}

@test "docker: a missing executable is an error the user sees, from create" {
    matrix_missing_executable dk
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
