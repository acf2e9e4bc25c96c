#!/bin/bash
# tests/bench/bench.sh (`make bench`): how long one `run` of /bin/true takes with hull, beside
# Debian's runc and crun, measured by hyperfine in one invocation (N sequential runs each).
#
#   BENCH_RUNS=N (default 50), BENCH_WARMUP (default 3), BENCH_EXPORT=FILE.md (hyperfine's
#   markdown table, default build/bench.md), HULL (default build/hull), BENCH_SECCOMP=0 to skip
#   the second table: the same runs with Docker's default seccomp profile (~370 syscalls, compiled
#   by each runtime on every start), BENCH_SECCOMP_EXPORT (default build/bench-seccomp.md).
#   BENCH_NET=1: instead, what hull's own networking adds to a start (hull only: runc and crun
#   have none): `run` with a plain new network namespace, with a point-to-point veth pair
#   (--network veth,address=...,host-address=...), and with a veth pair on an existing bridge, all
#   inside a network namespace the benchmark makes (so the host is untouched); BENCH_NET_EXPORT
#   (default build/bench-net.md), BENCH_NET_SETTLE (seconds between creates, default 0.3).
#
# All three run the same rootfs (one copy, each bundle's root.path points at it) with the same
# config.json (runc's default spec; terminal off; args /bin/true), each with its own --root under
# /tmp.  The cgroup is given as an absolute linux.cgroupsPath under the caller's own cgroup, so
# that no runtime puts anything outside it.
#
# crun refuses hybrid cgroup hosts (v1 controllers plus /sys/fs/cgroup/unified): on such a host it
# runs in a private mount namespace in which /sys/fs/cgroup/unified is unmounted
# (`unshare -m sh -c 'umount ...; exec crun ...'`).  That wrapper costs a fork, two execs and an
# umount per run, so its cost is measured too ("wrapper only") - subtract it from crun's figure.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HULL=${HULL:-$REPO/build/hull}
RUNS=${BENCH_RUNS:-50}
WARMUP=${BENCH_WARMUP:-3}
EXPORT=${BENCH_EXPORT:-$REPO/build/bench.md}
SECCOMP=${BENCH_SECCOMP:-1}
SECCOMP_EXPORT=${BENCH_SECCOMP_EXPORT:-$REPO/build/bench-seccomp.md}
PROFILE=$REPO/tests/integration/testdata/seccomp-docker-default.json
NET=${BENCH_NET:-0}
NET_EXPORT=${BENCH_NET_EXPORT:-$REPO/build/bench-net.md}
SETTLE=${BENCH_NET_SETTLE:-0.3}
NETNS=

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root"
[ -x "$HULL" ] || die "$HULL not built (run make)"
command -v hyperfine >/dev/null || die "hyperfine missing (make deps)"
if [ "$NET" = 1 ]; then
    RUNC=runc CRUN=crun
else
    RUNC=$(command -v runc) || die "runc missing (make deps)"
    CRUN=$(command -v crun) || die "crun missing (make deps)"
fi

W=$(mktemp -d /tmp/hull-bench.XXXXXX)
BEFORE=$W/cgroups.before
find /sys/fs/cgroup -mindepth 1 -maxdepth 8 -type d 2>/dev/null | sort > "$BEFORE"

cleanup() {
    local rt
    for rt in hull runc crun; do
        [ -d "$W/root-$rt" ] || continue
        case $rt in
            hull) "$HULL" --root "$W/root-$rt" delete --force "bench-$rt" ;;
            runc) "$RUNC" --root "$W/root-$rt" delete --force "bench-$rt" ;;
            crun) "$CRUN" --root "$W/root-$rt" delete --force "bench-$rt" ;;
        esac
    done > /dev/null 2>&1 || true
    [ -z "$NETNS" ] || ip netns del "$NETNS" || true
    # cgroup directories the runtimes made and left (runc and crun keep parent directories)
    find /sys/fs/cgroup -mindepth 1 -maxdepth 8 -type d 2>/dev/null | sort | comm -13 "$BEFORE" - |
        sort -r | while IFS= read -r d; do rmdir "$d" 2>/dev/null || true; done
    # never rm -rf through a mount
    if awk -v w="$W" 'index($5, w) == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo; then
        echo "bench: mounts left under $W, not removed" >&2
    else
        rm -rf "$W"
    fi
}
trap cleanup EXIT

"$REPO/tests/lib/mkrootfs.sh" "$W/rootfs" > /dev/null

# the caller's own cgroup: the memory controller's on a v1/hybrid host, the unified one on v2
own=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
[ -n "$own" ] || own=$(awk -F: '$1 == "0" { print $3 }' /proc/self/cgroup)
hybrid=0
awk '$5 == "/sys/fs/cgroup/unified" && / - cgroup2 / { f = 1 } END { exit !f }' /proc/self/mountinfo && hybrid=1

# bundles SECCOMP_JQ: one bundle per runtime, the same config.json for all (SECCOMP_JQ adds to it)
bundles() {
    local rt
    for rt in hull runc crun; do
        mkdir -p "$W/bundle-$rt" "$W/root-$rt"
        jq --arg root "$W/rootfs" --arg cg "${own%/}/hull-bench-$rt" --slurpfile profile "$PROFILE" '
            .process.terminal = false | .process.args = ["/bin/true"] | .root = {"path": $root, "readonly": true}
            | del(.process.capabilities.ambient) | del(.linux.resources) | .linux.cgroupsPath = $cg'"$1" \
            "$REPO/tests/integration/testdata/config.json" > "$W/bundle-$rt/config.json"
    done
}

q() { printf '%q' "$1"; }
hull_cmd="$(q "$HULL") --root $(q "$W/root-hull") run -b $(q "$W/bundle-hull") bench-hull"
runc_cmd="$(q "$RUNC") --root $(q "$W/root-runc") run -b $(q "$W/bundle-runc") bench-runc"
crun_cmd="$(q "$CRUN") --root $(q "$W/root-crun") run -b $(q "$W/bundle-crun") bench-crun"
cmds=(-n hull "$hull_cmd" -n runc "$runc_cmd")
if [ $hybrid = 1 ]; then
    cmds+=(-n "crun (private mount ns without cgroup2)"
           "unshare -m sh -c 'umount -l /sys/fs/cgroup/unified && exec $crun_cmd'"
           -n "wrapper only (unshare + umount + exec true)"
           "unshare -m sh -c 'umount -l /sys/fs/cgroup/unified && exec true'")
else
    cmds+=(-n crun "$crun_cmd")
fi

# measure EXPORT WHAT: each command must work once before it is timed.
measure() {
    local c
    for c in "$hull_cmd" "$runc_cmd"; do
        sh -c "$c" || die "this does not run: $c"
    done
    echo "bench: $RUNS sequential runs of /bin/true per runtime, $2 ($(nproc) CPUs, $(uname -r), hybrid cgroups: $hybrid)" >&2
    hyperfine --style basic -N --runs "$RUNS" --warmup "$WARMUP" --export-markdown "$1" "${cmds[@]}" 2>&1 ||
        hyperfine --style basic --runs "$RUNS" --warmup "$WARMUP" --export-markdown "$1" "${cmds[@]}"
    echo "bench: table written to ${1#"$REPO"/}" >&2
}

# BENCH_NET=1: hull alone, in a network namespace of the benchmark's own ("the host" of the pairs):
# `create` alone, which is what the network adds to a container's start: each timed create is
# preceded by an untimed delete of the previous container and a pause of BENCH_NET_SETTLE seconds
# (default 0.3), because the kernel destroys a dead container's namespace and devices
# asynchronously (RCU grace periods, on the other core) and, back to back, that work of the
# previous container slows whatever comes next; then whole `run`s back to back (create, start,
# wait, delete), where the teardown (an RCU barrier per unregistered device) shows.
measure_net() {
    NETNS=hull-bench-$$
    ip netns add "$NETNS"
    ip -n "$NETNS" link set lo up
    ip -n "$NETNS" link add hbbr0 type bridge
    ip -n "$NETNS" addr add 10.199.250.1/24 dev hbbr0
    ip -n "$NETNS" link set hbbr0 up
    local hull_ns="nsenter --net=/run/netns/$NETNS $(q "$HULL") --root $(q "$W/root-hull")"
    local veth="--network veth,address=10.199.251.2/24,host-address=10.199.251.1/24"
    local bridge="--network bridge=hbbr0,address=10.199.250.2/24,gateway=10.199.250.1"
    local names=("lo only" "+ veth pair, point-to-point" "+ veth pair on a bridge") opts=("" "$veth" "$bridge")
    local i create=() run=() del="$hull_ns delete --force bench-hull"
    for i in 0 1 2; do
        create+=(-p "sh -c '$del; sleep $SETTLE'" -n "create: ${names[$i]}" "$hull_ns create -b $(q "$W/bundle-hull") ${opts[$i]} bench-hull")
        run+=(-n "run: ${names[$i]}" "$hull_ns run -b $(q "$W/bundle-hull") ${opts[$i]} bench-hull")
    done
    for i in 0 1 2; do
        sh -c "$hull_ns run -b $(q "$W/bundle-hull") ${opts[$i]} bench-hull" || die "this does not run: hull run ${opts[$i]}"
    done
    echo "bench: $RUNS creates ($SETTLE s apart), then $RUNS runs back to back, of /bin/true with hull in a new network namespace, without and with a veth pair ($(nproc) CPUs, $(uname -r))" >&2
    hyperfine --style basic -N --runs "$RUNS" --warmup "$WARMUP" --export-markdown "$NET_EXPORT" "${create[@]}" 2>&1
    sh -c "$del" > /dev/null 2>&1 || true
    hyperfine --style basic -N --runs "$RUNS" --warmup "$WARMUP" --export-markdown "$NET_EXPORT.run" "${run[@]}" 2>&1
    tail -n +3 "$NET_EXPORT.run" >> "$NET_EXPORT"
    rm -f "$NET_EXPORT.run"
    # hull's own clock around the network step of create (--debug: "network set up in N us"),
    # free of the noise of the rest of create
    for i in 1 2; do
        local log=$W/net-$i.log n
        for n in $(seq 1 "$RUNS"); do
            $hull_ns --debug --log "$log" create -b "$W/bundle-hull" ${opts[$i]} bench-hull > /dev/null 2>&1 < /dev/null
            $hull_ns delete --force bench-hull
        done
        grep -o 'network set up in [0-9]* us' "$log" | awk '{ print $5 }' | sort -n | awk -v what="${names[$i]}" '
            { v[NR] = $1; sum += $1 }
            END { if (NR) printf "\nhull'"'"'s network step in create, %s: median %.2f ms, mean %.2f ms, min %.2f ms, max %.2f ms (%d creates)\n",
                  what, v[int((NR + 1) / 2)] / 1000, sum / NR / 1000, v[1] / 1000, v[NR] / 1000, NR }' | tee -a "$NET_EXPORT" >&2
    done
    [ -z "$(ip -n "$NETNS" -o link show type veth)" ] || die "veth pairs left in $NETNS"
    echo "bench: table written to ${NET_EXPORT#"$REPO"/}" >&2
}

bundles ''
if [ "$NET" = 1 ]; then
    measure_net
    exit 0
fi
measure "$EXPORT" "no seccomp filter"
if [ "$SECCOMP" = 1 ]; then
    bundles ' | .linux.seccomp = $profile[0]'
    measure "$SECCOMP_EXPORT" "with Docker's default seccomp profile"
fi
