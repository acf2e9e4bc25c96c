# tests/e2e/setup.bash: what the end-to-end tests share.  Each engine's .bats file starts with
#   load setup
# and runs its matrix against the runtime named by E2E_RUNTIME:
#   E2E_RUNTIME=hull  (default) $HULL, default build/hull, as an absolute path
#   E2E_RUNTIME=runc  $RUNC, default /usr/sbin/runc: the same matrix must pass, which proves it
# tests/e2e/run.sh runs every file once per runtime; a bare `bats tests/e2e/podman.bats` works too.
#
# Nothing goes to an engine's default place: every engine gets its configuration, root, run root,
# socket and (where the engine passes --root) the runtime's state root under one temporary
# directory per run (E2E_TMP, made by run.sh or by the file): ENGINE_DIR=$E2E_TMP/ENGINE-RUNTIME.  Containers are put in
# cgroups below CG_PARENT (/hull-e2e-<token>-<engine>-<runtime> in every hierarchy), which the file
# removes at its end.  No network is set up: containers run with --network none (or the host's);
# containerd.bats runs containerd in a network namespace of its own, where hull's own networking
# (run.hull.network annotations) makes its devices.

E2E_REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
E2E_RUNTIME=${E2E_RUNTIME:-hull}
# RUNTIME_STATE_ROOT: the runtime's default --root, used when an engine passes none (podman)
case "$E2E_RUNTIME" in
hull)
    RUNTIME_BIN=${HULL:-$E2E_REPO/build/hull}
    RUNTIME_STATE_ROOT=/run/hull
    ;;
runc)
    RUNTIME_BIN=${RUNC:-/usr/sbin/runc}
    RUNTIME_STATE_ROOT=/run/runc
    ;;
*)
    echo "E2E_RUNTIME must be hull or runc, not '$E2E_RUNTIME'" >&2
    return 1
    ;;
esac
case "$RUNTIME_BIN" in
/*) ;;
*) RUNTIME_BIN=$PWD/$RUNTIME_BIN ;;
esac
E2E_IMAGE=localhost/hull-e2e-busybox:latest
# A command of an engine that hangs is killed after this many seconds instead of hanging the run.
E2E_TIMEOUT=${E2E_TIMEOUT:-60}

# e2e_tmp: make sure E2E_TMP exists (run.sh exports it; a bare bats run makes one and removes it in
# e2e_teardown_file).  Its token (the mktemp suffix) names the cgroups of the run.
e2e_tmp() {
    if [ -z "${E2E_TMP:-}" ]; then
        E2E_TMP=$(mktemp -d /tmp/hull-e2e.XXXXXX)
        E2E_OWN_TMP=1
        export E2E_TMP E2E_OWN_TMP
    fi
    chmod 0711 "$E2E_TMP"
    E2E_TOKEN=${E2E_TMP##*.}
}

# e2e_images: the busybox image as an OCI archive (for ctr) and a docker archive (for docker load
# and podman load) in $E2E_TMP/image, and its rootfs.tar (for bundles made by hand), built once
# per run: the busybox rootfs of the integration tests (tests/lib/mkrootfs.sh) tarred, `podman
# import`ed into a throwaway storage, `podman save`d.
e2e_images() {
    local img=$E2E_TMP/image
    [ -s "$img/busybox-oci.tar" ] && [ -s "$img/busybox-docker.tar" ] && [ -s "$img/rootfs.tar" ] && return 0
    (
        flock 9
        [ -s "$img/busybox-oci.tar" ] && [ -s "$img/busybox-docker.tar" ] && [ -s "$img/rootfs.tar" ] && exit 0
        set -e
        rm -rf "$img/build"
        mkdir -p "$img/build"
        "$E2E_REPO/tests/lib/mkrootfs.sh" "$img/build/rootfs" >&2
        tar -C "$img/build/rootfs" --numeric-owner -cf "$img/build/rootfs.tar" .
        cat > "$img/build/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$img/build/root"
runroot = "$img/build/run"
EOF
        cat > "$img/build/containers.conf" <<EOF
[engine]
cgroup_manager = "cgroupfs"
events_logger = "none"
tmp_dir = "$img/build/tmp"
EOF
        local pm=(env CONTAINERS_CONF="$img/build/containers.conf"
            CONTAINERS_STORAGE_CONF="$img/build/storage.conf" podman)
        "${pm[@]}" import --change 'CMD ["/bin/sh"]' \
            --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
            "$img/build/rootfs.tar" "$E2E_IMAGE" >&2
        "${pm[@]}" save -q --format oci-archive -o "$img/busybox-oci.tar.tmp" "$E2E_IMAGE" >&2
        "${pm[@]}" save -q --format docker-archive -o "$img/busybox-docker.tar.tmp" "$E2E_IMAGE" >&2
        "${pm[@]}" system reset --force >&2 2> /dev/null || true
        mv "$img/busybox-oci.tar.tmp" "$img/busybox-oci.tar"
        mv "$img/busybox-docker.tar.tmp" "$img/busybox-docker.tar"
        mv "$img/build/rootfs.tar" "$img/rootfs.tar"
        e2e_umount_under "$img/build"
        rm -rf "$img/build"
    ) 9> "$E2E_TMP/image.lock"
}

# e2e_setup_file ENGINE: the directory and cgroup names of ENGINE under this runtime.
e2e_setup_file() {
    ENGINE=$1
    [ "$(id -u)" = 0 ] || {
        echo "the end-to-end tests need root" >&2
        return 1
    }
    [ -x "$RUNTIME_BIN" ] || {
        echo "$E2E_RUNTIME: $RUNTIME_BIN is not an executable (run make)" >&2
        return 1
    }
    e2e_tmp
    e2e_images || return 1
    ENGINE_DIR=$E2E_TMP/$ENGINE-$E2E_RUNTIME
    CG_PARENT=hull-e2e-$E2E_TOKEN-$ENGINE-$E2E_RUNTIME
    rm -rf "$ENGINE_DIR"
    mkdir -p "$ENGINE_DIR"
    export ENGINE ENGINE_DIR CG_PARENT E2E_TOKEN
}

# e2e_teardown_file: after the engine is stopped (by the file): kill what is left of it, remove its
# cgroups and mounts and its directory.  Prints what it had to clean up; the file's last test
# ("nothing is left behind") is the one that fails on leftovers.
e2e_teardown_file() {
    [ -n "${ENGINE_DIR:-}" ] || return 0
    e2e_kill_leftovers
    e2e_umount_under "$ENGINE_DIR"
    e2e_remove_cgroups
    rm -rf "$ENGINE_DIR"
    if [ -n "${E2E_OWN_TMP:-}" ]; then
        e2e_umount_under "$E2E_TMP"
        rm -rf "$E2E_TMP"
    fi
}

# e2e_cgroup_dirs: every cgroup directory at or below CG_PARENT, in every hierarchy, deepest first.
e2e_cgroup_dirs() {
    local h
    for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
        [ -d "$h$CG_PARENT" ] || continue
        find "$h$CG_PARENT" -depth -type d
    done
}

# e2e_cgroup_pids: the processes in CG_PARENT's cgroups.
e2e_cgroup_pids() {
    local d
    e2e_cgroup_dirs | while read -r d; do
        cat "$d/cgroup.procs" 2> /dev/null
    done | sort -u
}

# e2e_dir_pids: processes whose command line, root or working directory is inside ENGINE_DIR
# (conmon, shims, daemons, containers), not this shell.  One grep and one ls for all of /proc:
# a fork per process would take seconds.
e2e_dir_pids() {
    {
        grep -laF "$ENGINE_DIR" /proc/[0-9]*/cmdline 2> /dev/null | cut -d/ -f3
        ls -l /proc/[0-9]*/root /proc/[0-9]*/cwd 2> /dev/null |
            awk -v d="$ENGINE_DIR/" '$NF == d || index($NF, d) == 1 { split($(NF-2), a, "/"); print a[3] }'
    } | sort -u | grep -vxF -e "$$" -e "$BASHPID" | while read -r p; do
        [ ! -d "/proc/$p" ] || echo "$p" # not the grep, ls or awk above
    done
}

e2e_kill_leftovers() {
    local pids p
    pids=$( (e2e_cgroup_pids; e2e_dir_pids) | sort -u)
    [ -z "$pids" ] && return 0
    for p in $pids; do
        echo "# e2e cleanup: killing leftover process $p: $(tr '\0' ' ' < "/proc/$p/cmdline" 2> /dev/null)" >&3
        kill -9 "$p" 2> /dev/null || true
    done
    sleep 0.5
}

e2e_remove_cgroups() {
    local d
    e2e_cgroup_dirs | while read -r d; do
        rmdir "$d" 2> /dev/null || echo "# e2e cleanup: cannot remove cgroup $d" >&3
    done
}

# e2e_umount_under DIR: unmount every mount point at or below DIR (deepest first).
e2e_umount_under() {
    local dir=$1 m
    awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo |
        sort -r | while read -r m; do
        umount "$m" 2> /dev/null || umount -l "$m" 2> /dev/null ||
            echo "# e2e cleanup: cannot unmount $m" >&3
    done
}

# e2e_leftovers: print what the engine left behind after it was stopped (processes, mounts under
# ENGINE_DIR, cgroups below CG_PARENT beyond the ones named in $@, relative to CG_PARENT); nothing
# when all is clean.
e2e_leftovers() {
    local p d rel keep ok
    for p in $( (e2e_cgroup_pids; e2e_dir_pids) | sort -u); do
        [ -d "/proc/$p" ] || continue
        echo "process $p: $(tr '\0' ' ' < "/proc/$p/cmdline" 2> /dev/null)"
    done
    awk -v d="$ENGINE_DIR" 'index($5, d "/") == 1 { print "mount " $5 }' /proc/self/mountinfo
    e2e_stray_cgroups "$@"
}

# e2e_stray_cgroups [KEEP...]: "cgroup DIR" for every cgroup below CG_PARENT but the KEEP ones
# (relative to CG_PARENT, e.g. podman's conmon): after a test's containers are removed, the
# runtime must have removed theirs.
e2e_stray_cgroups() {
    local d rel keep ok
    while read -r d; do
        [ -n "$d" ] || continue
        rel=${d#*"$CG_PARENT"}
        rel=${rel#/}
        ok=
        [ -z "$rel" ] && ok=1
        for keep in "$@"; do
            [ "$rel" = "$keep" ] && ok=1
        done
        [ -n "$ok" ] || echo "cgroup $d"
    done < <(e2e_cgroup_dirs)
}

# runtime_states ROOT: the container state directories in a runtime's --root (hull keeps its
# compiled seccomp filters in ROOT/.seccomp-cache: not a container).
runtime_states() {
    [ -d "$1" ] || return 0
    find "$1" -mindepth 1 -maxdepth 1 ! -name .seccomp-cache -printf 'state %p\n'
}

# alive PID: PID is a process that has not exited (a zombie whose parent has not reaped it yet
# is gone for this purpose).
alive() {
    local state
    state=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2> /dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

# stop_daemon PIDFILE: SIGTERM the daemon, SIGKILL it if it is still there after 10 s.
stop_daemon() {
    local pid
    pid=$(cat "$1" 2> /dev/null) || return 0
    rm -f "$1"
    kill "$pid" 2> /dev/null || return 0
    local i
    for ((i = 0; i < 100; i++)); do
        alive "$pid" || return 0
        sleep 0.1
    done
    echo "# $1: $pid still there 10 s after SIGTERM: SIGKILL" >&3
    kill -9 "$pid" 2> /dev/null
}

# e2e_tty CLI INPUT ARGS...: CLI ARGS under a pseudo-terminal (script(1)), INPUT as its keyboard.
# CLI is a function that sets the array CLI_cmd to its command (and runs it).
e2e_tty() {
    local cli=$1 input=$2 cmd
    shift 2
    "$cli" --version > /dev/null
    local -n argv=${cli}_cmd
    cmd=$(printf '%q ' "${argv[@]}" "$@")
    printf '%s' "$input" | timeout -k 5 "$E2E_TIMEOUT" script -eqc "$cmd" /dev/null
}

# retry N CMD...: tests/integration/helpers.bash's (CMD up to N + 1 times, 0.1 s apart, until it
# succeeds), taken from there rather than copied: helpers.bash as a whole sets up hull's own
# suite (its --root, bundles, setup and teardown), which these tests do not want.
eval "$(sed -n '/^retry() {$/,/^}$/p' "$E2E_REPO/tests/integration/helpers.bash")"
declare -F retry > /dev/null || {
    echo "tests/integration/helpers.bash has no retry()" >&2
    return 1
}

# wait_for TRIES CMD...: run CMD until it succeeds, for at most TRIES * 0.2 s.
wait_for() {
    local tries=$1
    shift
    retry $((2 * tries)) "$@"
}

