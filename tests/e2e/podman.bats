#!/usr/bin/env bats
# Podman (Debian's 4.3, conmon, the cgroupfs manager) with the runtime under test as its OCI runtime,
# configured the way README.md tells a user to (containers.conf [engine.runtimes]), with its own
# containers.conf, storage.conf, root, run root and tmp dir under ENGINE_DIR.
# Podman passes no --root to the runtime (and its cleanup process drops --runtime-flag), so the
# runtime keeps its state in its default root (/run/hull, /run/runc); teardown checks that no
# container of this file is left there.

load setup
load matrix
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

# pm ARGS...: podman with this file's configuration (pm_cmd: the command, for e2e_tty).
pm_cmd=()
pm() {
    pm_cmd=(env CONTAINERS_CONF="$ENGINE_DIR/containers.conf"
        CONTAINERS_STORAGE_CONF="$ENGINE_DIR/storage.conf"
        CONTAINERS_REGISTRIES_CONF="$ENGINE_DIR/registries.conf"
        podman)
    timeout --foreground -k 5 "$E2E_TIMEOUT" "${pm_cmd[@]}" "$@"
}

# pm_run_opts: podman run in this file's cgroup parent, without network.
pm_run_opts() {
    echo --cgroup-parent "/$CG_PARENT" --network none
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

# The matrix podman shares with docker: tests/e2e/matrix.bash.

@test "podman: run --rm prints the output and returns the exit code" {
    matrix_run_rm pm
}

@test "podman: run -d, then stop: the TERM handler runs and its exit code is kept" {
    matrix_run_d_stop pm
}

@test "podman: stop with a grace period kills a process that ignores TERM after it" {
    matrix_stop_grace pm
}

@test "podman: exec runs in the container's namespaces and returns the exit code" {
    matrix_exec pm
}

@test "podman: exec -d leaves the process running in the container" {
    matrix_exec_d pm
    run pm top c1 args
    [[ $output == *"sleep 999"* ]]
    [[ $output == *"sleep 1000"* ]]
}

@test "podman: exec -it relays a terminal both ways and returns the exit code" {
    matrix_exec_it pm
}

@test "podman: run -t gives the process a terminal" {
    matrix_run_t pm
}

@test "podman: kill -s USR1 is delivered to the container's process" {
    matrix_kill_usr1 pm
}

@test "podman: pause freezes the container, unpause thaws it" {
    matrix_pause pm
}

@test "podman: update --memory changes the running container's limit" {
    matrix_update_memory pm
}

@test "podman: --memory and --pids-limit are in force inside the container" {
    matrix_limits pm
}

@test "podman: --read-only makes the root file system read-only" {
    matrix_read_only pm
}

@test "podman: -v HOST:CTR:ro binds the host directory read-only" {
    matrix_volume_ro pm
}

@test "podman: --cap-drop all --cap-add NET_ADMIN leaves exactly CAP_NET_ADMIN" {
    matrix_caps pm
}

@test "podman: --user runs the process as that user and group" {
    matrix_user pm
}

@test "podman: restart runs the container again, and --restart on-failure restarts it" {
    matrix_restart pm
}

@test "podman: rm -f removes a running container, its process and its cgroup" {
    matrix_rm_f pm -t 0
    run pm container exists c1
    [ "$status" -eq 1 ]
}

@test "podman: --init runs catatonit as pid 1 and the command under it" {
    run cli_run pm --rm --init "$E2E_IMAGE" sh -c 'tr "\0" " " < /proc/1/cmdline; echo; grep PPid /proc/$$/status; echo "me=$$"'
    echo "$output"
    [[ ${lines[0]} == "/run/podman-init -- sh -c "* ]]
    [ "${lines[1]}" = "PPid:	1" ]
    [ "${lines[2]}" != me=1 ]
}

@test "podman: --cgroups=disabled runs the container in conmon's cgroups (--cgroup-manager disabled)" {
    # Debian's podman 4.3 cannot read runtime_supports_nocgroups ("Failed to decode the keys") and
    # allows no cgroups only to a runtime named crun: the runtime under test is given as
    # .../nocg/crun, a symlink to it.
    mkdir -p "$ENGINE_DIR/nocg"
    ln -sf "$RUNTIME_BIN" "$ENGINE_DIR/nocg/crun"
    # no --cgroup-parent (podman refuses one without cgroups): not cli_run
    run pm --runtime "$ENGINE_DIR/nocg/crun" run --network none --rm --cgroups=disabled "$E2E_IMAGE" \
        sh -c 'echo ran; cat /proc/self/cgroup'
    echo "$output"
    if [ "$E2E_RUNTIME" = runc ]; then
        # runc has no --cgroup-manager: the create fails, podman says so
        [ "$status" -ne 0 ]
        return 0
    fi
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = ran ]
    # no cgroup of its own: no libpod-<id> directory, the lines are conmon's
    [[ "$output" != *libpod-* ]]
    run pm --runtime "$ENGINE_DIR/nocg/crun" run --network none --rm --cgroups=disabled --memory 64m "$E2E_IMAGE" true
    echo "$output"
    [ "$status" -ne 0 ]
}

@test "podman: a missing executable is an error the user sees, from create" {
    matrix_missing_executable pm
    # the container was never started, and --rm removed it
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
