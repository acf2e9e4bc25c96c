# tests/integration/helpers.bash: shared setup for hull's bats suite.  Every .bats file starts
#   load helpers
# and gets a default setup() (a fresh bundle, its own --root) and teardown() (force-delete every
# container of the test, then fail the test if anything it made is left: state dir, cgroup, process,
# mount).  A file that needs more defines its own setup() and calls hull_setup first, or its own
# teardown() and calls hull_teardown last.
#
# Variables a test can use:
#   HULL         the runtime under test (default build/hull; HULL=/usr/sbin/runc runs the suite
#                against runc to compare)
#   ROOT         the per-test state root passed as --root (never /run/hull)
#   TEST_DIR     the per-test scratch directory; BUNDLE=$TEST_DIR/bundle, ROOTFS=$BUNDLE/rootfs
#   CID          a container id unique to the test ("hullt-<run>-<file>-<n>-a"); ID_PREFIX is its
#                stem ("hullt-<run>-<file>-<n>-"): every id, cgroup or name a test makes starts
#                with it, so that leaks are found and blamed on the right test and run.

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
HULL=${HULL:-$REPO/build/hull}
HULL_TEST_ROOTFS=${HULL_TEST_ROOTFS:-$REPO/build/test-rootfs}
TESTDATA=$BATS_TEST_DIRNAME/testdata
HELPERS_BIN=${HULL_TEST_HELPERS:-$REPO/build/test-helpers}
# the OCI runtime spec (text and JSON schemas), beside the repository
SPEC_DIR=${HULL_SPEC_DIR:-$REPO/../shared/oci-runtime-spec}

# One token per suite run (tests/run.sh exports it; a bare bats run makes its own): it is part of
# every id so that two runs on one machine never mistake each other's containers for leaks.
if [ -z "${HULL_TEST_RUN:-}" ]; then
    HULL_TEST_RUN=$(basename "${BATS_RUN_TMPDIR:-x-$$}")
    HULL_TEST_RUN=${HULL_TEST_RUN##*-}
fi

# hull ARGS...: the runtime with the test's --root.  Use as `run hull ...` or directly.  A hull
# that hangs is killed after HULL_CMD_TIMEOUT seconds (exit status 124) instead of hanging the test.
hull() {
    timeout --foreground -k 5 "${HULL_CMD_TIMEOUT:-60}" "$HULL" --root "$ROOT" "$@"
}

# The cached rootfs (tests/lib/mkrootfs.sh), built once per suite run; tests/run.sh rebuilds it
# at the start of every run, a bare `bats` run builds it when it is missing.
ensure_rootfs() {
    [ -x "$HULL_TEST_ROOTFS/bin/busybox" ] && return 0
    mkdir -p "$(dirname "$HULL_TEST_ROOTFS")"
    (
        flock 9
        [ -x "$HULL_TEST_ROOTFS/bin/busybox" ] && exit 0
        rm -rf "$HULL_TEST_ROOTFS.tmp"
        "$REPO/tests/lib/mkrootfs.sh" "$HULL_TEST_ROOTFS.tmp" >&2 &&
            mv "$HULL_TEST_ROOTFS.tmp" "$HULL_TEST_ROOTFS"
    ) 9> "$HULL_TEST_ROOTFS.lock"
}

# setup_bundle [DIR]: a bundle at DIR (default $BUNDLE): a private copy of the cached rootfs and
# testdata/config.json (runc's default spec, terminal false, args ["true"]).
setup_bundle() {
    local dir=${1:-$BUNDLE}
    ensure_rootfs || return 1
    mkdir -p "$dir"
    cp -a "$HULL_TEST_ROOTFS" "$dir/rootfs"
    cp "$TESTDATA/config.json" "$dir/config.json"
}

hull_setup() {
    [ "$(id -u)" = 0 ] || skip "the integration tests need root"
    [ -x "$HULL" ] || { echo "HULL=$HULL is not an executable (run make)" >&2; return 1; }
    TEST_DIR=${BATS_TEST_TMPDIR:?bats >= 1.4 needed}
    ROOT=$TEST_DIR/state
    BUNDLE=$TEST_DIR/bundle
    ROOTFS=$BUNDLE/rootfs
    local file
    file=$(basename "$BATS_TEST_FILENAME" .bats)
    ID_PREFIX=hullt-$HULL_TEST_RUN-$file-$BATS_TEST_NUMBER-
    CID=${ID_PREFIX}a
    TEARDOWN_CMDS=()
    # bats makes its run directory 0700: a container root mapped to another uid (user namespace)
    # must be able to reach its rootfs
    [ -z "${BATS_RUN_TMPDIR:-}" ] || chmod 0711 "$BATS_RUN_TMPDIR"
    mkdir -p "$ROOT"
    setup_bundle "$BUNDLE"
}

setup() {
    hull_setup
}

teardown() {
    hull_teardown
}

# on_teardown CMD: run CMD (eval'd) at teardown, before the leak checks, in reverse order.
on_teardown() {
    TEARDOWN_CMDS+=("$1")
}

# run_hull ARGS...: like `run hull ARGS...` (sets $status, $output, $lines), but the output goes
# through a file: a container that keeps hull's stdout open (create, run -d) must not make the
# test wait for it as bats' `run` would.
run_hull() {
    local rc=0 out=$TEST_DIR/.run_hull.out
    hull "$@" > "$out" 2>&1 < /dev/null || rc=$?
    status=$rc
    output=$(cat "$out")
    lines=()
    [ -z "$output" ] || mapfile -t lines <<< "$output"
    printf '[hull %s: status %s]\n%s\n[end of output]\n' "$*" "$status" "$output"
}

# update_config JQ_FILTER [JQ_ARGS...] [--bundle DIR]: edit config.json in place.
#   update_config '.process.args = ["true"]'
#   update_config '.process.env += [$e]' --arg e FOO=bar
update_config() {
    local dir=$BUNDLE args=()
    while [ $# -gt 0 ]; do
        if [ "$1" = --bundle ]; then dir=$2; shift 2; else args+=("$1"); shift; fi
    done
    jq "${args[@]}" "$dir/config.json" > "$dir/config.json.new" || return 1
    mv "$dir/config.json.new" "$dir/config.json"
}

# set_cmd SCRIPT: the container runs `sh -c SCRIPT`.
set_cmd() {
    update_config '.process.args = ["sh", "-c", $s]' --arg s "$1"
}

# run_container SCRIPT [ID]: `run_hull run` the bundle with `sh -c SCRIPT` as its process;
# $status, $output (stdout + stderr) and $lines as bats' `run` sets them.
run_container() {
    set_cmd "$1"
    run_hull run -b "$BUNDLE" "${2:-$CID}"
}

# requires FEATURE...: skip the test, saying why, when a feature is missing.
requires() {
    local f
    for f in "$@"; do
        case "$f" in
            root) [ "$(id -u)" = 0 ] || skip "needs root" ;;
            runc) command -v runc >/dev/null || skip "needs runc (Debian package runc) to compare with" ;;
            userns) [ -e /proc/self/ns/user ] && [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)" != 0 ] ||
                        skip "needs user namespaces (kernel config or user.max_user_namespaces = 0)" ;;
            timens) [ -e /proc/self/ns/time ] || skip "needs time namespaces (Linux >= 5.6 with CONFIG_TIME_NS)" ;;
            cgroupns) [ -e /proc/self/ns/cgroup ] || skip "needs cgroup namespaces" ;;
            cgroup_v1) has_cgroup_v1 || skip "needs a cgroup v1 hierarchy (this host is pure cgroup v2)" ;;
            cgroup_v2_only) has_cgroup_v1 && skip "needs a pure cgroup v2 host (this one has v1 hierarchies)" ;;
            cc) command -v cc >/dev/null || skip "needs a C compiler (build-essential) for a test helper" ;;
            ip) command -v ip >/dev/null || skip "needs ip (iproute2)" ;;
            jsonschema) /usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
                            skip "needs python3-jsonschema to check documents against the spec's schemas"
                        [ -d "$SPEC_DIR/schema" ] || skip "needs the OCI runtime spec's schemas in $SPEC_DIR/schema" ;;
            *) echo "requires: unknown feature $f" >&2; return 1 ;;
        esac
    done
}

has_cgroup_v1() {
    awk '$3 == "cgroup" { found = 1 } END { exit !found }' /proc/self/mounts
}

# cgroup_mounts: "MOUNTPOINT ROOT" of every cgroup hierarchy (v1 and v2) mounted on the host.
cgroup_mounts() {
    awk '{ for (i = 7; $i != "-"; i++); if ($(i+1) == "cgroup" || $(i+1) == "cgroup2") print $5, $4 }' \
        /proc/self/mountinfo
}

# own_cgroup HIERARCHY: this shell's cgroup path in one hierarchy, named by its controller list
# as /proc/self/cgroup prints it ("memory", "cpu,cpuacct", "name=systemd") or "" for cgroup v2.
own_cgroup() {
    awk -F: -v h="$1" '$2 == h { sub(/^[^:]*:[^:]*:/, ""); print; exit }' /proc/self/cgroup
}

# cgroup_dirs_of PID: the host directory of PID's cgroup in every hierarchy, one per line.
cgroup_dirs_of() {
    local pid=$1 mp root line hier path
    while read -r mp root; do
        # which line of /proc/PID/cgroup belongs to this mount: match the super options
        local opts
        opts=$(awk -v m="$mp" '$5 == m { for (i = 7; $i != "-"; i++); print $(i+1), $(i+3) }' /proc/self/mountinfo)
        while IFS= read -r line; do
            hier=${line#*:}; hier=${hier%%:*}
            path=${line#*:*:}
            if [ "${opts%% *}" = cgroup2 ]; then
                [ "${line%%:*}" = 0 ] || continue
            else
                [ -n "$hier" ] || continue
                local c ok=1
                for c in ${hier//,/ }; do
                    [[ ,${opts#* }, == *,$c,* ]] || ok=0
                done
                [ $ok = 1 ] || continue
            fi
            # path is relative to the hierarchy's root as the reader's cgroup namespace sees it
            [ "$root" = / ] || path=${path#"$root"}
            echo "$mp$path"
        done < "/proc/$pid/cgroup"
    done < <(cgroup_mounts)
}

# wait_for CMD...: retry CMD for up to 10 s (0.1 s steps).
wait_for() {
    retry 100 "$@"
}

# retry N CMD...: run CMD up to N + 1 times, 0.1 s apart, until it succeeds.
retry() {
    local i n=$1
    shift
    for ((i = 0; i < n; i++)); do
        "$@" && return 0
        sleep 0.1
    done
    "$@"
}

# line_count_is FILE N: FILE has N lines (for wait_for: evaluated on every try).
line_count_is() {
    [ "$(wc -l < "$1")" -eq "$2" ]
}

# status_of ID: the status field of `hull state ID`.
status_of() {
    hull state "$1" | jq -r .status
}

# pid_of ID: the pid field of `hull state ID`.
pid_of() {
    hull state "$1" | jq -r .pid
}

# status_is ID STATUS: for wait_for.
status_is() {
    [ "$(status_of "$1" 2>/dev/null)" = "$2" ]
}

# process_gone PID: PID does not exist or is a zombie (dead, not yet reaped).
process_gone() {
    local st
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 0
    [ "${st%% *}" = Z ] || [ -z "$st" ]
}

# ns_inode PID TYPE: the inode of /proc/PID/ns/TYPE.
ns_inode() {
    stat -L -c %i "/proc/$1/ns/$2"
}

# validate_schema SCHEMA FILE: FILE is valid against $SPEC_DIR/schema/SCHEMA (e.g. state-schema.json);
# prints each error with its JSON path.
validate_schema() {
    /usr/bin/python3 "$BATS_TEST_DIRNAME/helpers/validate-schema.py" "$SPEC_DIR/schema/$1" "$2"
}

# build_helper NAME: compile tests/integration/helpers/NAME.c once into $HELPERS_BIN/NAME and
# print the path.  It is compiled again when it or a header beside it (sock.h) is newer.
build_helper() {
    local name=$1 src=$BATS_TEST_DIRNAME/helpers/$1.c out=$HELPERS_BIN/$1 h stale=0
    mkdir -p "$HELPERS_BIN"
    for h in "$BATS_TEST_DIRNAME"/helpers/*.h; do
        if [ "$h" -nt "$out" ]; then stale=1; fi
    done
    if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ $stale = 1 ]; then
        cc -std=gnu11 -Wall -Wextra -Werror -O2 -o "$out.tmp.$$" "$src" >&2 && mv "$out.tmp.$$" "$out" || return 1
    fi
    echo "$out"
}

# assert_nothing_left [ID_PREFIX]: no state dir, cgroup, process or mount of this test exists.
# (Also used by tests that check a failed create left nothing behind.)
assert_nothing_left() {
    local prefix=${1:-$ID_PREFIX} leaks=()
    local d
    for d in "$ROOT"/*; do
        [ -e "$d" ] || continue
        [ -d "$d" ] && leaks+=("state dir $d")
    done
    while IFS= read -r d; do
        leaks+=("cgroup $d")
    done < <(find /sys/fs/cgroup -maxdepth 8 -type d -name "$prefix*" 2>/dev/null)
    local pid
    for pid in $(cgroup_pids_of "$prefix"); do
        # a zombie (its parent, often pid 1, reaps it late) holds nothing but its pid
        process_gone "$pid" || leaks+=("process $pid ($(tr '\0' ' ' 2>/dev/null < /proc/$pid/cmdline))")
    done
    while IFS= read -r d; do
        leaks+=("mount $d")
    done < <(mounts_under "$TEST_DIR")
    for pid in $(runtime_pids); do
        leaks+=("runtime process $pid ($(tr '\0' ' ' 2>/dev/null < /proc/$pid/cmdline))")
    done
    if [ ${#leaks[@]} -gt 0 ]; then
        printf 'LEFT BEHIND: %s\n' "${leaks[@]}" >&2
        return 1
    fi
}

# mounts_under DIR: mount points at or below DIR in the caller's mount namespace.
mounts_under() {
    awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo
}

# runtime_pids: hull processes still working on this test's --root (a hung or stray runtime).
# (One grep over every /proc/PID file: a fork per process made each check take seconds.)
runtime_pids() {
    local f pid
    for f in $(grep -lzxF -- "$ROOT" /proc/[0-9]*/cmdline 2>/dev/null); do
        pid=${f#/proc/}; pid=${pid%/cmdline}
        [ "$pid" = $$ ] || [ "$pid" = "$BASHPID" ] && continue
        process_gone "$pid" || echo "$pid"
    done
}

# cgroup_pids_of PREFIX: processes whose cgroup (on any hierarchy) has a component starting with PREFIX.
cgroup_pids_of() {
    local f pid
    for f in $(grep -lF -- "/$1" /proc/[0-9]*/cgroup 2>/dev/null); do
        pid=${f#/proc/}; pid=${pid%/cgroup}
        echo "$pid"
    done
}

# Remove what a test left (after it was reported), so the next test and the host start clean.
force_cleanup() {
    local prefix=$ID_PREFIX d pid
    for pid in $(runtime_pids); do
        kill -9 "$pid" 2>/dev/null
    done
    for pid in $(cgroup_pids_of "$prefix"); do
        kill -9 "$pid" 2>/dev/null
    done
    # mounts, deepest first, lazily (a busy mount must not keep the test dir alive)
    mounts_under "$TEST_DIR" | sort -r | while IFS= read -r d; do umount -l "$d" 2>/dev/null; done
    sleep 0.2
    find /sys/fs/cgroup -maxdepth 8 -depth -type d -name "$prefix*" 2>/dev/null | while IFS= read -r d; do
        find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
}

hull_teardown() {
    [ -n "${ROOT:-}" ] || return 0
    local i rc=0 id
    for ((i = ${#TEARDOWN_CMDS[@]} - 1; i >= 0; i--)); do
        eval "${TEARDOWN_CMDS[$i]}" || true
    done
    # every container hull knows of, and every state dir (in case list is broken)
    local ids=()
    mapfile -t ids < <({ HULL_CMD_TIMEOUT=10 hull list -q 2>/dev/null; ls -1 "$ROOT" 2>/dev/null; } | sort -u)
    for id in "${ids[@]}"; do
        [ -n "$id" ] && [ -d "$ROOT/$id" ] || continue
        HULL_CMD_TIMEOUT=20 hull delete --force "$id" >/dev/null 2>&1 || echo "teardown: hull delete --force $id failed" >&2
    done
    local left
    left=$(HULL_CMD_TIMEOUT=10 hull list -q 2>/dev/null)
    if [ -n "$left" ]; then
        echo "LEFT BEHIND: containers after delete --force: $left" >&2
        rc=1
    fi
    if ! retry 20 assert_nothing_left 2>/dev/null; then
        assert_nothing_left || true
        rc=1
        force_cleanup
    fi
    # never let bats' rm -rf of the test dir walk into a mount
    if [ -n "$(mounts_under "$TEST_DIR")" ]; then
        force_cleanup
    fi
    return $rc
}

# ---- cgroup resources (resources.bats; update, pause, ps and events tests may use these) ----
# Which hierarchy carries a controller's files, and where the container's cgroup is there, on
# any layout: the v1 hierarchy mounted with the controller, else the unified one (hugetlb on this
# hybrid host, everything on a pure cgroup v2 host).

# cg_v1_mount CONTROLLER: the mount point of the v1 hierarchy mounted with CONTROLLER ("" if none).
cg_v1_mount() {
    awk -v c="$1" '{ for (i = 7; $i != "-"; i++);
        if ($(i+1) == "cgroup" && index("," $(i+3) ",", "," c ",")) { print $5; exit } }' /proc/self/mountinfo
}

# cg_v2_mount: the mount point of the cgroup2 hierarchy ("" if none).
cg_v2_mount() {
    awk '{ for (i = 7; $i != "-"; i++); if ($(i+1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo
}

# cg_on_v2 CONTROLLER: CONTROLLER's files are on the unified hierarchy here (no v1 mount has it).
cg_on_v2() {
    [ -z "$(cg_v1_mount "$1")" ]
}

# cg_own_dir CONTROLLER: the caller's own cgroup directory in the hierarchy of CONTROLLER ("": the
# unified hierarchy).
cg_own_dir() {
    local ctl=$1 mp="" own root
    [ -z "$ctl" ] || mp=$(cg_v1_mount "$ctl")
    if [ -n "$mp" ]; then
        own=$(awk -F: -v c="$ctl" 'index("," $2 ",", "," c ",") { sub(/^[^:]*:[^:]*:/, ""); print; exit }' /proc/self/cgroup)
    else
        mp=$(cg_v2_mount)
        [ -n "$mp" ] || { echo "cg_own_dir: no hierarchy has $ctl" >&2; return 1; }
        own=$(awk -F: '$1 == "0" && $2 == "" { sub(/^[^:]*:[^:]*:/, ""); print; exit }' /proc/self/cgroup)
    fi
    # the path is relative to the hierarchy's root as our cgroup namespace sees it
    root=$(awk -v m="$mp" '$5 == m { print $4; exit }' /proc/self/mountinfo)
    [ "$root" = / ] || own=${own#"$root"}
    echo "$mp${own%/}"
}

# cg_dir CONTROLLER [REL]: the host directory of cgroup REL (default $CID: where a container with no
# cgroupsPath goes) under the caller's cgroup, in the hierarchy of CONTROLLER ("": the unified one).
cg_dir() {
    local own
    own=$(cg_own_dir "$1") || return 1
    echo "$own/${2:-$CID}"
}

# cg_key FILE KEY: the value of KEY in a flat keyed cgroup file ("key value" lines).
cg_key() {
    awk -v k="$2" '$1 == k { print $2; found = 1 } END { exit !found }' "$1"
}

# expect_file FILE VALUE...: FILE holds one of the VALUEs (surrounding whitespace ignored).
expect_file() {
    local file=$1 got v
    shift
    got=$(cat "$file") || { echo "cannot read $file"; return 1; }
    got=$(echo "$got" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
    for v in "$@"; do
        [ "$got" = "$v" ] && { echo "$file: $got"; return 0; }
    done
    echo "$file: '$got', expected: $*"
    return 1
}

# cg_probe_files CONTROLLER FILE...: print each FILE a new cgroup under the caller's one gets in the
# hierarchy of CONTROLLER (a probe directory made and removed at once): what this kernel offers.
cg_probe_files() {
    local dir f
    dir=$(cg_dir "$1" "${ID_PREFIX}probe") || return 1
    shift
    mkdir "$dir" || return 1
    for f in "$@"; do
        [ -e "$dir/$f" ] && echo "$f"
    done
    rmdir "$dir"
}

# cg_cpu_usage_ns DIR_CPUACCT: the CPU time a cgroup used so far, in ns (cpuacct.usage on v1,
# cpu.stat usage_usec on v2); DIR_CPUACCT is `cg_dir cpuacct`.
cg_cpu_usage_ns() {
    if [ -e "$1/cpuacct.usage" ]; then
        cat "$1/cpuacct.usage"
    else
        echo $(( $(cg_key "$1/cpu.stat" usage_usec) * 1000 ))
    fi
}

# expect_refused FIELD: `hull run` of the bundle fails, its message names FIELD, nothing is left.
expect_refused() {
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ] || { echo "hull run succeeded; expected an error naming $1"; return 1; }
    [[ "$output" == *"$1"* ]] || { echo "the error does not name $1"; return 1; }
    assert_nothing_left
}
# ---- end of cgroup resources ----
