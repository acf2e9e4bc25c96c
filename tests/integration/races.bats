#!/usr/bin/env bats
# races: a directory of the rootfs swapped for a symlink to a host directory WHILE hull sets the
# container up (CVE-2021-30465: a second container sharing a volume exchanges a mount destination
# with a symlink between the runtime's check and its mount).  helpers/swapper.c exchanges the two
# names with renameat2(RENAME_EXCHANGE) in a tight loop while hull runs the container again and
# again.  Whether a run meets the race is luck; what is asserted holds either way, after every run:
#   - nothing was mounted outside the rootfs: not on the host, not in the container's own mount
#     namespace before pivot_root (a createContainer hook copies its mountinfo);
#   - nothing was written in the host directory the symlink points at, nor (by a copy meant for a
#     new tmpfs) in the rootfs on disk;
#   - the run succeeded with every mount at a place resolved inside the rootfs (through the real
#     directory, under either of its two names, or through the symlink, inside the rootfs), or it
#     failed with hull's error message and left nothing behind;
# and at the end: at least one run succeeded and the swapper really swapped.

load helpers

RUNS=30         # runs per test at most ...
RUN_SECONDS=10  # ... and for this long at most

setup() {
    hull_setup
    requires cc
    SWAPPER=$(build_helper swapper)
    # the host directory the symlinks point at, and what must stay as it is in it
    OUT=$TEST_DIR/outside
    mkdir -p "$OUT/sdir" "$OUT/rodir"
    echo host-marker > "$OUT/marker"
    echo host-secret > "$OUT/secret"
    echo host > "$OUT/sdir/f"
    echo host > "$OUT/rodir/f"
    OUT_BEFORE=$(snapshot_out)
    SWAPPER_PID=
    SWAPS=0
    on_teardown stop_swapper
}

# snapshot_out: every file under $OUT with its type, size, mode, owner and times (a write changes it)
snapshot_out() {
    find "$OUT" -printf '%P %y %s %m %U:%G %T@ %C@\n' | sort
}

# start_swapper A B: exchange A and B in a tight loop in the background until stop_swapper (60 s
# at most, should the teardown never come).  It starts stopped: race_runs lets it run (SIGCONT)
# only while hull runs, since every exchange slows every path walk on the machine (the global
# rename sequence count) and the checks between the runs have no reason to suffer it.
start_swapper() {
    "$SWAPPER" "$1" "$2" 60 > "$TEST_DIR/swaps" 2>&1 &
    SWAPPER_PID=$!
    kill -STOP "$SWAPPER_PID"
}

# stop_swapper: stop it (it leaves A and B as it found them); SWAPS: the exchanges it made.
stop_swapper() {
    [ -n "$SWAPPER_PID" ] || return 0
    local pid=$SWAPPER_PID rc=0
    SWAPPER_PID=
    kill -TERM "$pid" 2>/dev/null || true
    kill -CONT "$pid" 2>/dev/null || true
    wait "$pid" || rc=$?
    cat "$TEST_DIR/swaps"
    SWAPS=$(awk '$1 == "swaps" { print $2 }' "$TEST_DIR/swaps")
    [ -n "$SWAPS" ] || SWAPS=0
    return $rc
}

# prepivot_hook: a createContainer hook (JSON).  It runs in the container's mount namespace after
# the mounts and before pivot_root, where the host's tree is still there: its copy of mountinfo
# shows a mount that landed outside the rootfs.
prepivot_hook() {
    jq -n --arg s "cat /proc/self/mountinfo > $TEST_DIR/prepivot.mountinfo" '{"path": "/bin/sh", "args": ["sh", "-c", $s]}'
}

# parse_mountinfo: the container's mountinfo in $output, by the last component of each mount
# point: MP_COUNT[name], and for the last mount of that name MP_AT (mount point), MP_FS (type),
# MP_SRC (source), MP_OPTS (per-mount options), MP_ROOT (root in its file system).  One awk for
# the whole table: a fork per check made a run's checks slower than the run.
parse_mountinfo() {
    local mp fs src opts root name
    unset MP_COUNT MP_AT MP_FS MP_SRC MP_OPTS MP_ROOT
    declare -gA MP_COUNT=() MP_AT=() MP_FS=() MP_SRC=() MP_OPTS=() MP_ROOT=()
    MP_ALL=()
    while read -r mp fs src opts root; do
        name=${mp##*/}
        [ -n "$name" ] || name=/
        MP_COUNT[$name]=$((${MP_COUNT[$name]:-0} + 1))
        MP_AT[$name]=$mp MP_FS[$name]=$fs MP_SRC[$name]=$src MP_OPTS[$name]=$opts MP_ROOT[$name]=$root
        MP_ALL+=("$mp $fs $src $opts")
    done < <(awk 'NF > 9 { for (i = 7; i < NF && $i != "-"; i++); if ($i == "-") print $5, $(i+1), $(i+2), $6, $4 }' <<< "$output")
}

# at_allowed_place NAME DIR...: exactly one mount point in the container has NAME as its last
# component, and it is DIR/NAME for one of the DIRs.
at_allowed_place() {
    local name=$1 dir
    shift
    [ "${MP_COUNT[$name]:-0}" -eq 1 ] || { echo "${MP_COUNT[$name]:-0} mounts named $name"; return 1; }
    for dir in "$@"; do
        [ "${MP_AT[$name]}" = "$dir/$name" ] && return 0
    done
    echo "$name is mounted at ${MP_AT[$name]}, not under any of: $*"
    return 1
}

# has_opt OPTS OPT: the comma list OPTS holds OPT.
has_opt() { [[ ,$1, == *,$2,* ]]; }

# check_host_after_run: what must hold after every run, whatever its result.
check_host_after_run() {
    # nothing mounted on the host under the test's directory (the outside directory included)
    local mounted
    mounted=$(mounts_under "$TEST_DIR")
    [ -z "$mounted" ] || { echo "mounted on the host: $mounted"; return 1; }
    # nothing written in the outside directory
    [ "$(snapshot_out)" = "$OUT_BEFORE" ] || { echo "$OUT changed:"; diff <(echo "$OUT_BEFORE") <(snapshot_out); return 1; }
    # no state directory left (a successful run deletes its container); the whole check (cgroups,
    # processes too) after a failed run and in the teardown: it takes longer than a run
    local d
    for d in "$ROOT"/*; do
        [ ! -e "$d" ] || { echo "state left: $d"; return 1; }
    done
}

# check_prepivot: in the container's mount namespace before pivot_root, no mount point under the
# test's directory outside the rootfs (the outside directory above all).
check_prepivot() {
    local f=$TEST_DIR/prepivot.mountinfo bad
    [ -s "$f" ] || { echo "the createContainer hook did not run"; return 1; }
    bad=$(awk -v t="$TEST_DIR" -v r="$ROOTFS" '(index($5, t "/") == 1 || $5 == t) && !(index($5, r "/") == 1 || $5 == r) { print $5 }' "$f")
    [ -z "$bad" ] || { echo "mounted outside the rootfs before pivot_root: $bad"; return 1; }
    # and nothing left on top of the runtime's "/" (where hull stages a mount it works on)
    local here there
    here=$(awk '$5 == "/"' /proc/self/mountinfo | wc -l)
    there=$(awk '$5 == "/"' "$f" | wc -l)
    [ "$there" -eq "$here" ] || { echo "$there mounts on / before pivot_root, $here on the host"; return 1; }
}

# check_failed_run: a failed run exits non-zero (not a timeout) with hull's error message.
check_failed_run() {
    [ "$status" -ne 124 ] || { echo "hull hung"; return 1; }
    grep -q '^hull: ' <<< "$output" || { echo "no error message from hull"; return 1; }
}

# race_runs CHECK_SUCCESS: run the bundle up to $RUNS times (for $RUN_SECONDS at most; as long
# again while none has succeeded) while the swapper runs, checking every run; OK, FAILED and
# THROUGH_LINK (mounts that landed through the symlink, inside the rootfs) count them.
race_runs() {
    local check=$1 i m end=$((SECONDS + RUN_SECONDS))
    OK=0 FAILED=0 THROUGH_LINK=0
    for ((i = 0; (i < RUNS && SECONDS < end) || (OK == 0 && i < 2 * RUNS && SECONDS < end + RUN_SECONDS); i++)); do
        rm -f "$TEST_DIR/prepivot.mountinfo"
        kill -CONT "$SWAPPER_PID"
        run_hull run -b "$BUNDLE" "${ID_PREFIX}r$i"
        kill -STOP "$SWAPPER_PID"
        if [ "$status" -eq 0 ]; then
            parse_mountinfo
            "$check"
            OK=$((OK + 1))
            for m in "${MP_ALL[@]}"; do
                [[ $m != "$OUT/"* || $m == *" victim "* ]] || THROUGH_LINK=$((THROUGH_LINK + 1))
            done
        else
            check_failed_run
            assert_nothing_left
            FAILED=$((FAILED + 1))
            grep '^hull: ' <<< "$output" | sed "s/${ID_PREFIX}r[0-9]*/ID/" >> "$TEST_DIR/errors"
        fi
        check_host_after_run
    done
}

# report_runs: the counts in the TAP output; nothing left; at least one run succeeded, the
# swapper swapped (it only runs while hull does).
report_runs() {
    stop_swapper
    check_host_after_run
    assert_nothing_left
    echo "# $((OK + FAILED)) runs: $OK succeeded, $FAILED failed with an error; $THROUGH_LINK mounts landed through the symlink (inside the rootfs); $SWAPS swaps" >&3
    [ ! -e "$TEST_DIR/errors" ] || sort "$TEST_DIR/errors" | uniq -c | sed 's/^/#   /' >&3
    [ "$OK" -ge 1 ]
    [ "$SWAPS" -gt 0 ]
}

# ---- 20 tmpfs mounts and two binds under a directory swapped with an absolute symlink ----

MOUNTS_N=20

check_mounts_run() {
    local n dirs=(/mnt/race /mnt/race.link "$OUT")
    for ((n = 0; n < MOUNTS_N; n++)); do
        at_allowed_place "m$n" "${dirs[@]}"
        [ "${MP_FS[m$n]} ${MP_SRC[m$n]}" = "tmpfs tmpfs" ]
    done
    # the binds: the host's directory and file (their root in the host's file system)
    at_allowed_place bind "${dirs[@]}"
    [ "${MP_ROOT[bind]##*/}" = bindsrc ]
    at_allowed_place bindfile "${dirs[@]}"
    [ "${MP_ROOT[bindfile]##*/}" = bindfile ]
    check_prepivot
}

@test "races: mount destinations swapped for a symlink to the host during setup stay inside the rootfs (CVE-2021-30465)" {
    mkdir -p "$ROOTFS/mnt/race" "$TEST_DIR/bindsrc"
    echo bind-token > "$TEST_DIR/bindsrc/token"
    echo file-token > "$TEST_DIR/bindfile"
    ln -s "$OUT" "$ROOTFS/mnt/race.link"
    # one jq for the whole config: a jq takes ~0.4 s in the cgroup v2 VM
    update_config '.mounts += [range($n) as $i | {"destination": "/mnt/race/m\($i)", "type": "tmpfs", "source": "tmpfs"}]
                   + [{"destination": "/mnt/race/bind", "type": "bind", "source": $s, "options": ["bind"]},
                      {"destination": "/mnt/race/bindfile", "type": "bind", "source": $f, "options": ["bind"]}]
                   | .hooks.createContainer += [$hook] | .process.args = ["cat", "/proc/self/mountinfo"]' \
        --argjson n "$MOUNTS_N" --arg s "$TEST_DIR/bindsrc" --arg f "$TEST_DIR/bindfile" --argjson hook "$(prepivot_hook)"

    start_swapper "$ROOTFS/mnt/race" "$ROOTFS/mnt/race.link"
    race_runs check_mounts_run
    report_runs
    # the swapper left the names as they were
    [ -d "$ROOTFS/mnt/race" ]
    [ ! -L "$ROOTFS/mnt/race" ]
    [ "$(readlink "$ROOTFS/mnt/race.link")" = "$OUT" ]
    [ "$(cat "$TEST_DIR/bindsrc/token")" = bind-token ]
}

# ---- what hull does to a new mount after mounting it (tmpcopyup, recursive attributes) ----

COPY_N=10
ATTR_N=10

check_after_mount_run() {
    local n m dirs=(/mnt/race /mnt/race.link "$OUT") victims=0 racers=0
    for ((n = 0; n < COPY_N; n++)); do
        at_allowed_place "c$n" "${dirs[@]}"
        [ "${MP_SRC[c$n]}" = copier ]
    done
    # the victims stay read-only; each racer is a mount of its own (on top of its victim when it
    # came through the symlink)
    for m in "${MP_ALL[@]}"; do
        set -- $m
        case $3 in
            victim)
                victims=$((victims + 1))
                has_opt "$4" ro || { echo "a victim mount was made read-write: $m"; return 1; } ;;
            racer)
                racers=$((racers + 1))
                has_opt "$4" rw || { echo "a racer is not read-write: $m"; return 1; } ;;
        esac
    done
    [ "$victims" -eq "$ATTR_N" ]
    [ "$racers" -eq "$ATTR_N" ]
    check_prepivot
}

# no file in the rootfs on disk was made by a copy meant for a tmpfs: the seeds are the only files
check_no_copy_on_disk() {
    local files
    files=$(find "$ROOTFS$OUT" -type f 2>/dev/null)
    [ -z "$files" ] || { echo "written in the rootfs on disk: $files"; return 1; }
}

check_after_mount_host() {
    check_after_mount_run
    check_no_copy_on_disk
}

@test "races: tmpcopyup and recursive attributes act on the new mount, never on what its destination resolves to later" {
    # a relative symlink climbing far above the root (resolved inside, ".." stops at the root)
    mkdir -p "$ROOTFS/mnt/race"
    ln -s "../../../../../../../../../../../..$OUT" "$ROOTFS/mnt/race.link"
    local n
    for ((n = 0; n < COPY_N; n++)); do
        mkdir -p "$ROOTFS/mnt/race/c$n"
        echo "seed-$n" > "$ROOTFS/mnt/race/c$n/seed"
    done
    # tmpfs mounts with tmpcopyup; read-only victims where the symlink leads (inside the rootfs),
    # then racers whose "rrw" must only ever clear the read-only flag of their own new mount
    update_config '.mounts += [range($c) as $i | {"destination": "/mnt/race/c\($i)", "type": "tmpfs", "source": "copier", "options": ["tmpcopyup"]}]
                   + [range($a) as $i | {"destination": "\($out)/a\($i)", "type": "tmpfs", "source": "victim", "options": ["ro"]}]
                   + [range($a) as $i | {"destination": "/mnt/race/a\($i)", "type": "tmpfs", "source": "racer", "options": ["rrw", "rprivate"]}]
                   | .hooks.createContainer += [$hook] | .process.args = ["cat", "/proc/self/mountinfo"]' \
        --argjson c "$COPY_N" --argjson a "$ATTR_N" --arg out "$OUT" --argjson hook "$(prepivot_hook)"

    start_swapper "$ROOTFS/mnt/race" "$ROOTFS/mnt/race.link"
    race_runs check_after_mount_host
    check_no_copy_on_disk
    report_runs
    for ((n = 0; n < COPY_N; n++)); do
        [ "$(ls -A "$ROOTFS/mnt/race/c$n")" = seed ]
        [ "$(cat "$ROOTFS/mnt/race/c$n/seed")" = "seed-$n" ]
    done
}

# ---- maskedPaths and readonlyPaths under a swapped directory ----

check_masks_run() {
    local dirs=(/mnt/x /mnt/x.link "$OUT")
    at_allowed_place secret "${dirs[@]}"
    at_allowed_place sdir "${dirs[@]}"
    at_allowed_place rodir "${dirs[@]}"
    # the masked file has the container's /dev/null on it, the masked directory an empty
    # read-only tmpfs; the read-only directory is read-only
    [ "${MP_ROOT[secret]}" = /null ]
    [ "${MP_FS[sdir]}" = tmpfs ]
    has_opt "${MP_OPTS[sdir]}" ro
    has_opt "${MP_OPTS[rodir]}" ro
}

@test "races: maskedPaths and readonlyPaths under a directory swapped for a symlink mask only inside the rootfs" {
    # hull masks after pivot_root, where the host's tree is gone: through the symlink, a path leads
    # to the same names inside the rootfs, made here so that every mask lands somewhere to check
    mkdir -p "$ROOTFS/mnt/x/sdir" "$ROOTFS/mnt/x/rodir" "$ROOTFS$OUT/sdir" "$ROOTFS$OUT/rodir"
    echo image-secret > "$ROOTFS/mnt/x/secret"
    echo image-secret > "$ROOTFS$OUT/secret"
    ln -s "$OUT" "$ROOTFS/mnt/x.link"
    update_config '.linux.maskedPaths += ["/mnt/x/secret", "/mnt/x/sdir"] | .linux.readonlyPaths += ["/mnt/x/rodir"]
                   | .process.args = ["cat", "/proc/self/mountinfo"]'

    start_swapper "$ROOTFS/mnt/x" "$ROOTFS/mnt/x.link"
    race_runs check_masks_run
    report_runs
    [ "$(cat "$ROOTFS/mnt/x/secret")" = image-secret ]
    [ "$(cat "$ROOTFS$OUT/secret")" = image-secret ]
}

# ---- cgroup mounts (a tmpfs with one mount per hierarchy on v1, cgroup2 on v2) ----

CG_NAMES=(cgro cgdef cgrw) # options ["ro"], none (read-only by default), ["rw"]

# check_cgroup_run: each cgroup mount is at one place inside the rootfs, of the right type,
# read-only unless "rw", with the hierarchies (v1) mounted right on it and nowhere else.  Which
# mount is on which goes by mount ids: the paths mountinfo shows change with the swapper running
# while it is read (the directory is named race or race.link at that moment).
check_cgroup_run() {
    local dirs=(/mnt/race /mnt/race.link "$OUT") name top want id parent mp fs opts n_host n
    local -A top_of=() top_name=()
    for name in "${CG_NAMES[@]}"; do
        at_allowed_place "$name" "${dirs[@]}"
        top=${MP_AT[$name]}
        [ "$name" = cgrw ] && want=rw || want=ro
        has_opt "${MP_OPTS[$name]}" "$want" || { echo "$top is not $want: ${MP_OPTS[$name]}"; return 1; }
        [ "$CG_V2" = 1 ] && fs=cgroup2 || fs=tmpfs
        [ "${MP_FS[$name]}" = "$fs" ] || { echo "$top: ${MP_FS[$name]}, not $fs"; return 1; }
    done
    # id parent mount-point type per-mount-options, of every mount
    local table
    table=$(awk 'NF > 9 { for (i = 7; i < NF && $i != "-"; i++); if ($i == "-") print $1, $2, $5, $(i+1), $6 }' <<< "$output")
    while read -r id parent mp fs opts; do
        for name in "${CG_NAMES[@]}"; do
            [ "$mp" != "${MP_AT[$name]}" ] || { top_of[$id]=$name; top_name[$name]=$id; }
        done
    done <<< "$table"
    # the hierarchies of the default mount on /sys/fs/cgroup are what each of ours must hold (v1)
    n_host=$(awk '$3 ~ "^/sys/fs/cgroup/" && ($4 == "cgroup" || $4 == "cgroup2")' <<< "$table" | wc -l)
    [ "$CG_V2" = 1 ] || [ "$n_host" -gt 0 ] || { echo "no hierarchy under /sys/fs/cgroup"; return 1; }
    local -A count=()
    while read -r id parent mp fs opts; do
        [[ $fs == cgroup || $fs == cgroup2 ]] || continue
        [[ $mp != /sys/fs/cgroup && $mp != /sys/fs/cgroup/* ]] || continue
        [ -z "${top_of[$id]:-}" ] || continue # cgroup2 on v2: one of ours itself
        name=${top_of[$parent]:-}
        [ -n "$name" ] || { echo "a cgroup mount not on one of ours: $mp $fs"; return 1; }
        [[ $mp == */$name/* && $mp != */$name/*/* ]] || { echo "a hierarchy of $name at $mp"; return 1; }
        [ "$name" = cgrw ] && want=rw || want=ro
        has_opt "$opts" "$want" || { echo "a hierarchy of $name is not $want: $mp $opts"; return 1; }
        count[$name]=$((${count[$name]:-0} + 1))
    done <<< "$table"
    for name in "${CG_NAMES[@]}"; do
        n=${count[$name]:-0}
        [ "$CG_V2" = 1 ] && want=0 || want=$n_host
        [ "$n" -eq "$want" ] || { echo "$n hierarchies on $name, $want expected"; return 1; }
    done
    check_no_cgroup_dirs_on_disk
    check_prepivot
}

# check_no_cgroup_dirs_on_disk: hull made the cgroup mounts' destinations on disk (under either
# name of the swapped directory, or through the symlink inside the rootfs), nothing below them:
# a hierarchy's directory belongs in the new tmpfs
check_no_cgroup_dirs_on_disk() {
    local found
    found=$(find "$ROOTFS/mnt/race" "$ROOTFS/mnt/race.link" "$ROOTFS$OUT" -mindepth 2 2>/dev/null) || true
    [ -z "$found" ] || { echo "made in the rootfs on disk: $found"; return 1; }
}

@test "races: cgroup mounts under a directory swapped for a symlink are made, filled and made read-only only at the place resolved inside the rootfs" {
    CG_V2=0
    [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] || CG_V2=1
    mkdir -p "$ROOTFS/mnt/race"
    ln -s "$OUT" "$ROOTFS/mnt/race.link"
    update_config '.mounts += [{"destination": "/mnt/race/cgro", "type": "cgroup", "source": "cgroup", "options": ["ro", "nosuid", "noexec", "nodev"]},
                               {"destination": "/mnt/race/cgdef", "type": "cgroup", "source": "cgroup"},
                               {"destination": "/mnt/race/cgrw", "type": "cgroup", "source": "cgroup", "options": ["rw"]}]
                   | .hooks.createContainer += [$hook] | .process.args = ["cat", "/proc/self/mountinfo"]' \
        --argjson hook "$(prepivot_hook)"

    start_swapper "$ROOTFS/mnt/race" "$ROOTFS/mnt/race.link"
    race_runs check_cgroup_run
    report_runs
    check_no_cgroup_dirs_on_disk
    [ -d "$ROOTFS/mnt/race" ]
    [ ! -L "$ROOTFS/mnt/race" ]
}
