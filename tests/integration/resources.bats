#!/usr/bin/env bats
# linux.resources (issue 3): every limit lands in the right file of the layout at hand (v1 names on
# a v1/hybrid host, v2 names and conversions on cgroup v2, hugetlb on the unified hierarchy of a
# hybrid host that has it only there), and is proven by its effect: a memory hog is OOM-killed, a
# fork loop stops at pids.max, a CPU burner gets its quota, a denied device cannot be opened.
# A value the host cannot apply is an error naming the field (never silently dropped), and a
# refused container leaves nothing behind.
#
# The same file runs on the hybrid host and in the pure cgroup v2 VM
# (bash tests/cgroup2/run-vm.sh tests/integration/resources.bats): tests branch on the layout with
# cg_on_v2 / cg_v1_mount (helpers.bash, "cgroup resources"), and where a file is absent on the
# running kernel they assert the error naming the field instead of skipping.

load helpers

# hull enables a v2 controller in the caller's cgroup.subtree_control when a limit needs it (as
# runc does): give the host back what it had once the file is done.
setup_file() {
    local d
    d=$(cg_own_dir "" 2>/dev/null) || return 0
    [ -f "$d/cgroup.subtree_control" ] || return 0
    echo "$d" > "$BATS_FILE_TMPDIR/own-v2"
    cat "$d/cgroup.subtree_control" > "$BATS_FILE_TMPDIR/subtree-before"
}

teardown_file() {
    [ -f "$BATS_FILE_TMPDIR/own-v2" ] || return 0
    local d c
    d=$(cat "$BATS_FILE_TMPDIR/own-v2")
    for c in $(cat "$d/cgroup.subtree_control"); do
        grep -qw "$c" "$BATS_FILE_TMPDIR/subtree-before" || echo "-$c" > "$d/cgroup.subtree_control"
    done
    [ "$(cat "$d/cgroup.subtree_control")" = "$(cat "$BATS_FILE_TMPDIR/subtree-before")" ]
}

# create_with JQ_FILTER [JQ_ARGS...]: apply the filter to config.json and `hull create` the container
# (its process would sleep); the test fails when create fails.
create_with() {
    update_config "$@"
    set_cmd 'exec sleep 100'
    run_hull create -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
}

# expect_refused_or_warned FIELD: a value this layout has no file for: `hull run` fails naming FIELD,
# or runs and warns naming FIELD; never accepted in silence.
expect_refused_or_warned() {
    run_hull run -b "$BUNDLE" "$CID"
    [[ "$output" == *"$1"* ]] || { echo "neither an error nor a warning names $1"; return 1; }
    assert_nothing_left
}

# with_mknod: the container's process keeps CAP_MKNOD (runc's default spec drops it).
with_mknod() {
    update_config '.process.capabilities |= with_entries(if .key == "bounding" or .key == "effective" or .key == "permitted"
        then .value += ["CAP_MKNOD"] else . end)'
}

# with_host_kmsg: /hostdev/kmsg in the container is /dev/kmsg's device node (c 1:11; an O_WRONLY open needs no
# capability) made by the host, on a tmpfs that allows device nodes (the rootfs may be on a nodev
# filesystem: /tmp in the VM), bind-mounted at /hostdev.
with_host_kmsg() {
    local dir=$TEST_DIR/devdir
    mkdir "$dir"
    on_teardown "umount '$dir'"
    mount -t tmpfs -o dev,mode=0755,size=64k hulltest "$dir"
    mknod "$dir/kmsg" c 1 11
    update_config '.mounts += [{"destination": "/hostdev", "type": "bind", "source": $d, "options": ["bind"]}]' --arg d "$dir"
}

# a 2 MB hugepage size exists on this kernel
has_2mb_hugepages() {
    [ -d /sys/kernel/mm/hugepages/hugepages-2048kB ]
}

# ---------------------------------------------------------------- memory

@test "resources: memory limit and reservation go to the memory files of the layout" {
    create_with '.linux.resources.memory = {"limit": 67108864, "reservation": 33554432}'
    d=$(cg_dir memory)
    if cg_on_v2 memory; then
        expect_file "$d/memory.max" 67108864
        expect_file "$d/memory.low" 33554432
    else
        expect_file "$d/memory.limit_in_bytes" 67108864
        expect_file "$d/memory.soft_limit_in_bytes" 33554432
    fi
}

@test "resources: memory limit -1 is unlimited" {
    create_with '.linux.resources.memory = {"limit": -1}'
    d=$(cg_dir memory)
    if cg_on_v2 memory; then
        expect_file "$d/memory.max" max
    else
        # v1 reads back the largest page-aligned value
        expect_file "$d/memory.limit_in_bytes" 9223372036854771712
    fi
}

@test "resources: memory swap is memory+swap on v1, swap alone (swap - limit) on v2" {
    update_config '.linux.resources.memory = {"limit": 67108864, "swap": 134217728}'
    if cg_on_v2 memory; then file=memory.swap.max want=67108864; else file=memory.memsw.limit_in_bytes want=134217728; fi
    if [ -z "$(cg_probe_files memory "$file")" ]; then
        # no swap accounting on this kernel
        expect_refused linux.resources.memory.swap
        return
    fi
    create_with .
    expect_file "$(cg_dir memory)/$file" "$want"
}

@test "resources: memory swappiness (v1 memory.swappiness; refused or warned on v2)" {
    update_config '.linux.resources.memory = {"swappiness": 10}'
    if cg_on_v2 memory; then
        expect_refused_or_warned linux.resources.memory.swappiness
        return
    fi
    create_with .
    expect_file "$(cg_dir memory)/memory.swappiness" 10
}

@test "resources: memory disableOOMKiller (v1 memory.oom_control; refused or warned on v2)" {
    update_config '.linux.resources.memory = {"disableOOMKiller": true}'
    if cg_on_v2 memory; then
        expect_refused_or_warned linux.resources.memory.disableOOMKiller
        return
    fi
    create_with .
    d=$(cg_dir memory)
    cat "$d/memory.oom_control"
    [ "$(cg_key "$d/memory.oom_control" oom_kill_disable)" = 1 ]
}

@test "resources: memory kernelTCP (v1 memory.kmem.tcp.limit_in_bytes; ignored with a warning on v2)" {
    update_config '.linux.resources.memory = {"kernelTCP": 16777216}'
    if cg_on_v2 memory; then
        run_container true
        [ "$status" -eq 0 ]
        [[ "$output" == *linux.resources.memory.kernelTCP* ]]
        return
    fi
    if [ -z "$(cg_probe_files memory memory.kmem.tcp.limit_in_bytes)" ]; then
        expect_refused linux.resources.memory.kernelTCP
        return
    fi
    create_with .
    expect_file "$(cg_dir memory)/memory.kmem.tcp.limit_in_bytes" 16777216
}

@test "resources: a memory hog is OOM-killed at its limit and the kill is counted" {
    # swap = limit: no swap to escape to (v1 memsw = limit, v2 swap.max = 0)
    update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
    # dd's 64 MB buffer is filled from /dev/zero: every page is charged to the container
    set_cmd 'dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null; echo "dd=$?" > /oom.out; exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    wait_for test -s "$ROOTFS/oom.out"
    cat "$ROOTFS/oom.out"
    # 128 + SIGKILL
    grep -qx 'dd=137' "$ROOTFS/oom.out"
    d=$(cg_dir memory)
    if cg_on_v2 memory; then f=memory.events; else f=memory.oom_control; fi
    cat "$d/$f"
    [ "$(cg_key "$d/$f" oom_kill)" -ge 1 ]
    # the container lives on: only the hog was killed
    status_is "$CID" running
}

@test "resources: events --stats shows the hog's memory: peak usage at the limit" {
    # runc's stats shape has no OOM count: the kill itself is an "oom" event of the `events`
    # stream (ps-events.bats); --stats shows the limit and that usage peaked at it
    update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
    set_cmd 'dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null; echo "dd=$?" > /oom.out; exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    wait_for test -s "$ROOTFS/oom.out"
    grep -qx 'dd=137' "$ROOTFS/oom.out"
    run_hull events --stats "$CID"
    [ "$status" -eq 0 ]
    # one JSON document: {"type": "stats", "id": ..., "data": {...}}
    doc=$(head -n 1 <<< "$output")
    jq -e --arg id "$CID" '.type == "stats" and .id == $id' <<< "$doc"
    jq -c '.data.memory.usage' <<< "$doc"
    [ "$(jq -r .data.memory.usage.limit <<< "$doc")" = 33554432 ]
    # the peak (v1 max_usage_in_bytes, v2 memory.peak) reached the limit, give or take a page
    max=$(jq -r .data.memory.usage.max <<< "$doc")
    [ "$max" -ge $((33554432 - 65536)) ]
    [ "$max" -le 33554432 ]
}

@test "resources: with disableOOMKiller a hog waits at its limit instead of being killed (v1)" {
    cg_on_v2 memory && skip "cgroup v2 has no oom_kill_disable (the disableOOMKiller test checks it is refused or warned)"
    update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432, "disableOOMKiller": true}'
    set_cmd 'dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null; echo "dd=$?" > /oom.out; exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    d=$(cg_dir memory)
    wait_for eval '[ "$(cg_key "$d/memory.oom_control" under_oom)" = 1 ]'
    cat "$d/memory.oom_control"
    [ "$(cg_key "$d/memory.oom_control" oom_kill)" = 0 ]
    # dd is still there, stuck: nothing was written
    sleep 0.3
    [ ! -e "$ROOTFS/oom.out" ]
    grep -q . "$d/cgroup.procs"
    [ "$(wc -l < "$d/cgroup.procs")" -eq 2 ]
    # and delete --force still gets rid of it (teardown checks nothing is left)
    hull delete --force "$CID"
}

# ---------------------------------------------------------------- cpu

@test "resources: cpu shares, quota, period and burst (v1 cfs files; v2 cpu.weight, cpu.max)" {
    update_config '.linux.resources.cpu = {"shares": 512, "quota": 20000, "period": 100000, "burst": 10000}'
    if cg_on_v2 cpu; then f=cpu.max.burst; else f=cpu.cfs_burst_us; fi
    if [ -z "$(cg_probe_files cpu "$f")" ]; then
        expect_refused linux.resources.cpu.burst
        update_config 'del(.linux.resources.cpu.burst)'
    fi
    create_with .
    d=$(cg_dir cpu)
    if cg_on_v2 cpu; then
        # shares 512 -> weight: 59 with the formula runc and crun use now
        # (10^((L^2 + 125 L) / 612 - 7/34), L = log2(shares)), 20 with the older linear one
        expect_file "$d/cpu.weight" 59 20
        expect_file "$d/cpu.max" "20000 100000"
    else
        expect_file "$d/cpu.shares" 512
        expect_file "$d/cpu.cfs_quota_us" 20000
        expect_file "$d/cpu.cfs_period_us" 100000
    fi
    [ -e "$d/$f" ] || return 0
    expect_file "$d/$f" 10000
}

@test "resources: cpu idle (cpu.idle)" {
    update_config '.linux.resources.cpu = {"idle": 1}'
    if [ -z "$(cg_probe_files cpu cpu.idle)" ]; then
        expect_refused linux.resources.cpu.idle
        return
    fi
    create_with .
    expect_file "$(cg_dir cpu)/cpu.idle" 1
}

@test "resources: cpu realtimeRuntime and realtimePeriod (v1 cpu.rt_*; refused on v2)" {
    update_config '.linux.resources.cpu = {"realtimeRuntime": 10000, "realtimePeriod": 1000000}'
    if [ -z "$(cg_probe_files cpu cpu.rt_runtime_us)" ]; then
        # cgroup v2, or a kernel without CONFIG_RT_GROUP_SCHED
        expect_refused linux.resources.cpu.realtime
        return
    fi
    create_with .
    d=$(cg_dir cpu)
    expect_file "$d/cpu.rt_period_us" 1000000
    expect_file "$d/cpu.rt_runtime_us" 10000
}

@test "resources: a CPU burner under cpu quota 20ms/100ms gets about a fifth of a core" {
    update_config '.linux.resources.cpu = {"quota": 20000, "period": 100000}'
    set_cmd 'while :; do :; done'
    hull run -d -b "$BUNDLE" "$CID"
    d=$(cg_dir cpuacct)
    sleep 0.3
    u0=$(cg_cpu_usage_ns "$d") t0=$(date +%s%N)
    sleep 1
    u1=$(cg_cpu_usage_ns "$d") t1=$(date +%s%N)
    pct=$(( (u1 - u0) * 100 / (t1 - t0) ))
    echo "the burner used $pct% of a core over $(( (t1 - t0) / 1000000 )) ms"
    # 20% with slack both ways (a loaded 2-core machine); unthrottled it would be ~100%
    [ "$pct" -lt 40 ]
    [ "$pct" -ge 5 ]
    # and the scheduler says it throttled it
    stat=$(cg_dir cpu)/cpu.stat
    cat "$stat"
    [ "$(cg_key "$stat" nr_throttled)" -ge 1 ]
}

@test "resources: cpuset cpus and mems: the files and the process's affinity" {
    [ "$(nproc --all)" -ge 2 ] || skip "needs 2 CPUs to pin to one that is not the default set"
    update_config '.linux.resources.cpu = {"cpus": "1", "mems": "0"}'
    set_cmd 'grep Cpus_allowed_list /proc/self/status > /affinity; exec sleep 100'
    hull create -b "$BUNDLE" "$CID"
    d=$(cg_dir cpuset)
    expect_file "$d/cpuset.cpus" 1
    expect_file "$d/cpuset.mems" 0
    hull start "$CID"
    wait_for test -s "$ROOTFS/affinity"
    cat "$ROOTFS/affinity"
    grep -Eq '^Cpus_allowed_list:[[:space:]]+1$' "$ROOTFS/affinity"
}

@test "resources: a cpuset the kernel refuses (cpus \"999\") is an error naming the field; nothing left" {
    update_config '.linux.resources.cpu = {"cpus": "999"}'
    expect_refused linux.resources.cpu.cpus
}

# ---------------------------------------------------------------- pids

@test "resources: pids limit (pids.max), -1 is max" {
    create_with '.linux.resources.pids = {"limit": 42}'
    expect_file "$(cg_dir pids)/pids.max" 42
    hull delete --force "$CID"
    create_with '.linux.resources.pids = {"limit": -1}'
    expect_file "$(cg_dir pids)/pids.max" max
}

@test "resources: a fork loop stops at pids.limit" {
    update_config '.linux.resources.pids = {"limit": 8}'
    # a bounded loop (40 forks at most, should the limit not hold) in a subshell, which dies when
    # a fork fails; then the container's init reports and sleeps
    set_cmd '( i=0; while [ $i -lt 40 ]; do sleep 100 & i=$((i + 1)); done; echo "all forks worked" ) 2> /fork.err;
        echo done > /fork.done; exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    wait_for test -s "$ROOTFS/fork.done"
    cat "$ROOTFS/fork.err"
    grep -q fork "$ROOTFS/fork.err"
    d=$(cg_dir pids)
    # init + the subshell + 6 sleeps made 8; the subshell is gone: 7 left
    expect_file "$d/pids.current" 7
    [ "$(wc -l < "$d/cgroup.procs")" -eq 7 ]
    cat "$d/pids.events"
    [ "$(cg_key "$d/pids.events" max)" -ge 1 ]
}

# ---------------------------------------------------------------- blockIO

@test "resources: blockIO weight (blkio.weight / blkio.bfq.weight; v2 io.bfq.weight / io.weight)" {
    update_config '.linux.resources.blockIO = {"weight": 500}'
    if cg_on_v2 blkio; then
        files=$(cg_probe_files io io.bfq.weight io.weight)
    else
        files=$(cg_probe_files blkio blkio.weight blkio.bfq.weight)
    fi
    echo "weight files on this kernel: ${files:-none}"
    if [ -z "$files" ]; then
        expect_refused linux.resources.blockIO.weight
        return
    fi
    create_with .
    if cg_on_v2 blkio; then
        d=$(cg_dir io)
        # io.bfq.weight takes the blkio weight as is; io.weight the conversion
        # 1 + (weight - 10) * 9999 / 990 = 4950
        if [ -e "$d/io.bfq.weight" ] && grep -q 'default 500' "$d/io.bfq.weight"; then
            expect_file "$d/io.bfq.weight" "default 500"
        else
            expect_file "$d/io.weight" "default 4950"
        fi
    else
        d=$(cg_dir blkio)
        f=blkio.weight
        [ -e "$d/$f" ] || f=blkio.bfq.weight
        expect_file "$d/$f" 500
    fi
}

@test "resources: blockIO leafWeight: written where the kernel has it, else an error naming it" {
    update_config '.linux.resources.blockIO = {"leafWeight": 300}'
    if cg_on_v2 blkio || [ -z "$(cg_probe_files blkio blkio.leaf_weight)" ]; then
        # CFQ (blkio.leaf_weight) is gone since Linux 5.0; cgroup v2 never had it
        expect_refused linux.resources.blockIO.leafWeight
        return
    fi
    create_with .
    expect_file "$(cg_dir blkio)/blkio.leaf_weight" 300
}

@test "resources: blockIO throttling of a real device (blkio.throttle.*; v2 io.max)" {
    # a block device (the VM has none: a loop device appears with the loop module)
    dev=$(cat /sys/block/*/dev 2>/dev/null | head -n 1)
    if [ -z "$dev" ] && ! has_cgroup_v1; then
        modprobe loop 2>/dev/null
        dev=$(cat /sys/block/*/dev 2>/dev/null | head -n 1)
    fi
    [ -n "$dev" ] || skip "no block device on this host to throttle"
    maj=${dev%:*} min=${dev#*:}
    create_with '.linux.resources.blockIO = {
        "throttleReadBpsDevice": [{"major": $maj, "minor": $min, "rate": 1048576}],
        "throttleWriteIOPSDevice": [{"major": $maj, "minor": $min, "rate": 100}]}' \
        --argjson maj "$maj" --argjson min "$min"
    if cg_on_v2 blkio; then
        expect_file "$(cg_dir io)/io.max" "$dev rbps=1048576 wbps=max riops=max wiops=100"
    else
        d=$(cg_dir blkio)
        expect_file "$d/blkio.throttle.read_bps_device" "$dev 1048576"
        expect_file "$d/blkio.throttle.write_iops_device" "$dev 100"
    fi
}

@test "resources: throttling a device that does not exist is an error naming the field" {
    update_config '.linux.resources.blockIO = {"throttleReadBpsDevice": [{"major": 4000, "minor": 4000, "rate": 1048576}]}'
    expect_refused linux.resources.blockIO.throttleReadBpsDevice
}

# ---------------------------------------------------------------- hugetlb

@test "resources: hugepageLimits 2MB (hugetlb.2MB.max on the unified hierarchy of this host, or v1)" {
    update_config '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
    if ! has_2mb_hugepages; then
        expect_refused linux.resources.hugepageLimits
        return
    fi
    create_with .
    d=$(cg_dir hugetlb)
    echo "hugetlb files in $d"
    if cg_on_v2 hugetlb; then
        expect_file "$d/hugetlb.2MB.max" 4194304
        # the reservation limit too, where the kernel has it (as runc and crun do)
        [ ! -e "$d/hugetlb.2MB.rsvd.max" ] || expect_file "$d/hugetlb.2MB.rsvd.max" 4194304
        # hull enabled hugetlb for the container in its parent
        grep -qw hugetlb "$(cg_own_dir hugetlb)/cgroup.subtree_control"
    else
        expect_file "$d/hugetlb.2MB.limit_in_bytes" 4194304
        [ ! -e "$d/hugetlb.2MB.rsvd.limit_in_bytes" ] || expect_file "$d/hugetlb.2MB.rsvd.limit_in_bytes" 4194304
    fi
}

@test "resources: a hugepage size the kernel does not have is an error naming hugepageLimits" {
    update_config '.linux.resources.hugepageLimits = [{"pageSize": "64KB", "limit": 1048576}]'
    [ ! -d /sys/kernel/mm/hugepages/hugepages-64kB ] || skip "this kernel has 64 KB hugepages"
    expect_refused linux.resources.hugepageLimits
}

# ---------------------------------------------------------------- network, rdma

@test "resources: network classID (net_cls.classid, or an error naming it without net_cls)" {
    update_config '.linux.resources.network = {"classID": 1048577}'
    if [ -z "$(cg_v1_mount net_cls)" ]; then
        expect_refused linux.resources.network.classID
        return
    fi
    create_with .
    expect_file "$(cg_dir net_cls)/net_cls.classid" 1048577
}

@test "resources: network priorities (net_prio.ifpriomap, or an error naming it without net_prio)" {
    update_config '.linux.resources.network = {"priorities": [{"name": "lo", "priority": 5}]}'
    if [ -z "$(cg_v1_mount net_prio)" ]; then
        expect_refused linux.resources.network.priorities
        return
    fi
    create_with .
    grep -qx 'lo 5' "$(cg_dir net_prio)/net_prio.ifpriomap"
}

@test "resources: rdma for a device that does not exist (or without an rdma controller) is an error naming it" {
    update_config '.linux.resources.rdma = {"hullt-nodev0": {"hcaHandles": 3, "hcaObjects": 100}}'
    expect_refused linux.resources.rdma
}

# ---------------------------------------------------------------- unified

@test "resources: unified keys are written to the container's cgroup v2 directory" {
    if [ -z "$(cg_v2_mount)" ]; then
        update_config '.linux.resources.unified = {"cgroup.max.descendants": "5"}'
        expect_refused linux.resources.unified
        return
    fi
    # cgroup.* files exist on every v2 hierarchy; a controller key where this host has one there
    if cg_on_v2 pids; then
        kv='{"cgroup.max.descendants": "5", "pids.max": "7", "memory.high": "50331648"}'
    elif cg_on_v2 hugetlb && has_2mb_hugepages && grep -qw hugetlb "$(cg_v2_mount)/cgroup.controllers"; then
        kv='{"cgroup.max.descendants": "5", "hugetlb.2MB.max": "4194304"}'
    else
        kv='{"cgroup.max.descendants": "5"}'
    fi
    create_with '.linux.resources.unified = $kv' --argjson kv "$kv"
    d=$(cg_dir "")
    for key in $(jq -r 'keys[]' <<< "$kv"); do
        expect_file "$d/$key" "$(jq -r --arg k "$key" '.[$k]' <<< "$kv")"
    done
}

@test "resources: a unified key for a controller bound to a v1 hierarchy is an error naming the key" {
    [ -n "$(cg_v2_mount)" ] && has_cgroup_v1 || skip "needs a hybrid host (pure v2: every controller is on the unified hierarchy)"
    cg_on_v2 pids && skip "pids is on the unified hierarchy here"
    update_config '.linux.resources.unified = {"pids.max": "5"}'
    expect_refused pids.max
}

@test "resources: unified keys that escape the cgroup or name an unknown controller are errors naming the key" {
    [ -n "$(cg_v2_mount)" ] || skip "no cgroup v2 hierarchy (the unified test checks the error)"
    for key in "../pids.max" "sub/pids.max" "hullbogus.max"; do
        update_config '.linux.resources.unified = {($k): "5"}' --arg k "$key"
        expect_refused "$key"
    done
    # and nothing was written outside: no file or directory named like the keys appeared
    [ -z "$(find "$(cg_v2_mount)" -maxdepth 3 -name 'hullbogus*' -o -maxdepth 3 -name sub 2>/dev/null)" ]
}

# ---------------------------------------------------------------- devices

@test "resources: a device denied by linux.resources.devices cannot be opened" {
    update_config '.linux.resources.devices = [{"allow": false, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]'
    run_container 'echo x > /dev/null && echo NULL-OPENED; echo x > /dev/zero && echo ZERO-OPENED; exit 0'
    [ "$status" -eq 0 ]
    ! grep -q NULL-OPENED <<< "$output" || false
    grep -q '/dev/null: Operation not permitted' <<< "$output"
    # the other defaults still work
    grep -qx ZERO-OPENED <<< "$output"
}

@test "resources: a device not in the defaults cannot be opened, even by root with CAP_MKNOD" {
    with_mknod
    # /dev/kmsg's node made by the host, and by the container itself where the rules let it mknod
    # (hull's deny it, runc's allow "m" on every device)
    with_host_kmsg
    run_container 'grep CapEff /proc/self/status
        mknod /dev/kmsg c 1 11 && echo MKNOD-OK
        for f in /hostdev/kmsg /dev/kmsg; do
            [ -c $f ] || continue
            if ( exec 3> $f ) 2> /open.err; then echo "OPENED $f"; else echo "OPEN-FAILED: $(cat /open.err)"; fi
        done'
    [ "$status" -eq 0 ]
    eff=$(awk '/^CapEff/ { print $2 }' <<< "$output")
    [ $(( 0x$eff & (1 << 27) )) -ne 0 ] # CAP_MKNOD
    ! grep -q OPENED <<< "$output" || false
    grep -q 'OPEN-FAILED: .*/kmsg: Operation not permitted' <<< "$output"
    if ! grep -qx MKNOD-OK <<< "$output"; then
        grep -q 'mknod: /dev/kmsg: Operation not permitted' <<< "$output"
    else
        [ "$(grep -c 'OPEN-FAILED: .*/kmsg: Operation not permitted' <<< "$output")" -eq 2 ]
    fi
}

@test "resources: an allow rule makes that device usable: mknod and open work" {
    with_mknod
    update_config '.linux.resources.devices = [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "rwm"}]'
    with_host_kmsg
    run_container 'mknod /dev/kmsg c 1 11 && echo MKNOD-OK
        ( exec 3> /dev/kmsg ) && echo OPEN-OK
        ( exec 3> /hostdev/kmsg ) && echo HOST-NODE-OK'
    [ "$status" -eq 0 ]
    grep -qx MKNOD-OK <<< "$output"
    grep -qx OPEN-OK <<< "$output"
    grep -qx HOST-NODE-OK <<< "$output"
}

@test "resources: a later deny rule overrides an allow (later rules win)" {
    update_config '.linux.resources.devices = [
        {"allow": true, "type": "c", "major": 1, "minor": 5, "access": "rwm"},
        {"allow": false, "type": "c", "major": 1, "minor": 5, "access": "w"}]'
    run_container 'head -c 3 /dev/zero | wc -c; echo x > /dev/zero && echo ZERO-WRITTEN; exit 0'
    [ "$status" -eq 0 ]
    # read still allowed, write denied
    grep -qx 3 <<< "$output"
    ! grep -q ZERO-WRITTEN <<< "$output" || false
    grep -q '/dev/zero: Operation not permitted' <<< "$output"
}

# res_recvtty: a console-socket receiver in the background ($SOCK, $TTY_OUT, $RECV_PID), as in
# terminal.bats.
res_recvtty() {
    requires cc
    local bin
    bin=$(build_helper recvtty)
    SOCK=$TEST_DIR/console.sock
    TTY_OUT=$TEST_DIR/tty.out
    "$bin" "$SOCK" "$TTY_OUT" 3>&- &
    RECV_PID=$!
    on_teardown "kill $RECV_PID 2>/dev/null"
    wait_for test -S "$SOCK"
}

@test "resources: the default devices work under the device rules (null, zero, full, urandom, ptmx, tty)" {
    res_recvtty
    update_config '.process.terminal = true'
    set_cmd 'echo x > /dev/null && echo NULL-OK; echo "zero $(head -c 4 /dev/zero | wc -c)"
        echo "urandom $(head -c 4 /dev/urandom | wc -c)"; echo x 2> /dev/null > /dev/full || echo FULL-ENOSPC
        ( exec 3<> /dev/ptmx ) && echo PTMX-OK; echo x > /dev/tty && echo TTY-OK; echo hi > "$(tty)" && echo PTS-OK'
    hull run -d --console-socket "$SOCK" -b "$BUNDLE" "$CID"
    for i in $(seq 150); do kill -0 "$RECV_PID" 2>/dev/null || break; sleep 0.1; done
    wait "$RECV_PID"
    cat "$TTY_OUT"
    out=$(tr -d '\r' < "$TTY_OUT")
    for w in NULL-OK "zero 4" "urandom 4" FULL-ENOSPC PTMX-OK TTY-OK PTS-OK; do
        grep -qx "$w" <<< "$out" || { echo "missing: $w"; return 1; }
    done
}

# ---------------------------------------------------------------- bad input, cgroupsPath, delete

@test "resources: a value of the wrong JSON type is rejected by the parser, naming the field" {
    update_config '.linux.resources.memory = {"limit": "64m"}'
    expect_refused linux.resources.memory.limit
    update_config '.linux.resources = {"pids": {"limit": true}}'
    expect_refused linux.resources.pids.limit
}

@test "resources: a systemd cgroupsPath with resources is a clear error; nothing left" {
    update_config '.linux.cgroupsPath = "system.slice:hullt:x" | .linux.resources.pids = {"limit": 10}'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *cgroupsPath* ]]
    [[ "$output" == *systemd* ]]
    assert_nothing_left
}

@test "resources: delete removes every cgroup directory it created on every hierarchy" {
    update_config '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 50}
        | .linux.resources.cpu = {"shares": 512}'
    if has_2mb_hugepages; then
        update_config '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
    fi
    update_config '.linux.cgroupsPath = $p' --arg p "${ID_PREFIX}outer/inner"
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    mapfile -t dirs < <(cgroup_dirs_of "$(pid_of "$CID")")
    printf '%s\n' "${dirs[@]}"
    [ ${#dirs[@]} -ge 1 ]
    for d in "${dirs[@]}"; do
        [ "$(basename "$d")" = inner ]
        [ -d "$d" ]
    done
    hull delete --force "$CID"
    for d in "${dirs[@]}"; do
        [ ! -e "$d" ] || { echo "left: $d"; return 1; }
        # the parent hull made too
        [ ! -e "$(dirname "$d")" ] || { echo "left: $(dirname "$d")"; return 1; }
    done
}

@test "resources: a wildcard deny, as engines send first, leaves the default devices usable" {
    # podman, docker and containerd all put {"allow": false, "access": "rwm"} first in
    # linux.resources.devices; runc allows the default devices after the spec's rules
    update_config '.linux.resources.devices = [{"allow": false, "access": "rwm"},
            {"allow": false, "type": "c", "access": "w"}]'
    run_container 'echo x > /dev/null && echo NULL-OK; head -c 3 /dev/zero | wc -c
        echo x > /dev/zero && echo ZERO-OK; head -c 4 /dev/urandom | wc -c; exit 0'
    echo "$output"
    [ "$status" -eq 0 ]
    grep -qx NULL-OK <<< "$output"
    grep -qx ZERO-OK <<< "$output"
    [ "$(grep -cx '[34]' <<< "$output")" -eq 2 ]
}

@test "resources: the zeros docker sends for unset values (cpu.shares, blockIO.weight, memory.reservation) are not written" {
    update_config '.linux.resources.cpu = {"shares": 0, "quota": 0, "period": 0}
        | .linux.resources.blockIO = {"weight": 0}
        | .linux.resources.memory = {"disableOOMKiller": false, "reservation": 0}'
    run_container 'exit 0'
    echo "$output"
    [ "$status" -eq 0 ]
}
