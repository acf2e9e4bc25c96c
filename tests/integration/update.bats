#!/usr/bin/env bats
# hull update (issue 3): runc's flags and --resources FILE|- change a live container's limits; each
# flag lands in the file of the layout at hand (v1 names on a v1/hybrid host, v2 names and
# conversions on cgroup v2), the new limit holds (a fork loop stops at a lowered pids limit), a
# flag hull cannot honour is refused by name, and the saved config follows the update.
#
# Runs on the hybrid host and in the pure cgroup v2 VM; files are found with cg_dir (helpers.bash).

load helpers

# start_sleeper [JQ_FILTER [JQ_ARGS...]]: `run -d` a container whose process sleeps.
start_sleeper() {
    [ $# -eq 0 ] || update_config "$@"
    set_cmd 'exec sleep 1000'
    run_hull run -d -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
}

# update_ok ARGS...: `hull update ARGS... $CID` succeeds.
update_ok() {
    run_hull update "$@" "$CID"
    [ "$status" -eq 0 ]
}

@test "update: a lowered pids limit holds: a fork loop inside stops at it" {
    update_config '.linux.resources.pids = {"limit": 100}'
    # The loop runs in a second shell (a failed fork ends a shell); it counts its children with
    # builtins only (echo > FILE, $((...)), [ need no fork).
    set_cmd 'while [ ! -e /go ]; do sleep 0.1; done
             sh -c '"'"'i=0; while [ $i -lt 20 ]; do sleep 1000 & i=$((i + 1)); echo $i > /forked; done'"'"' 2>/dev/null
             : > /done; exec sleep 1000'
    run_hull run -d -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    d=$(cg_dir pids)
    expect_file "$d/pids.max" 100
    update_ok --pids-limit 5
    expect_file "$d/pids.max" 5
    touch "$ROOTFS/go"
    wait_for test -e "$ROOTFS/done"
    cat "$ROOTFS/forked" "$d/pids.current" "$d/pids.events"
    # 5 tasks at most: the init shell, the loop's shell and 3 sleeps; the fourth fork failed
    [ "$(cat "$ROOTFS/forked")" -eq 3 ]
    [ "$(cg_key "$d/pids.events" max)" -ge 1 ]
    update_ok --pids-limit -1
    expect_file "$d/pids.max" max
}

@test "update: memory flags with runc's size suffixes go to the memory files" {
    start_sleeper
    d=$(cg_dir memory)
    update_ok --memory 64m --memory-reservation 32M --memory-swap 128mb
    if cg_on_v2 memory; then
        expect_file "$d/memory.max" 67108864
        expect_file "$d/memory.low" 33554432
        # v2 swap alone: (memory + swap) - memory
        [ ! -e "$d/memory.swap.max" ] || expect_file "$d/memory.swap.max" 67108864
    else
        expect_file "$d/memory.limit_in_bytes" 67108864
        expect_file "$d/memory.soft_limit_in_bytes" 33554432
        [ ! -e "$d/memory.memsw.limit_in_bytes" ] || expect_file "$d/memory.memsw.limit_in_bytes" 134217728
    fi
    update_ok --memory-swap 1g --memory 0.5g --memory-reservation 1536k
    if cg_on_v2 memory; then
        expect_file "$d/memory.max" 536870912
        expect_file "$d/memory.low" 1572864
    else
        expect_file "$d/memory.limit_in_bytes" 536870912
        expect_file "$d/memory.soft_limit_in_bytes" 1572864
    fi
    # -1: unlimited, and swap with it (runc: no swap limit without a memory limit)
    update_ok --memory -1
    if cg_on_v2 memory; then
        expect_file "$d/memory.max" max
        [ ! -e "$d/memory.swap.max" ] || expect_file "$d/memory.swap.max" max
    else
        expect_file "$d/memory.limit_in_bytes" 9223372036854771712
        [ ! -e "$d/memory.memsw.limit_in_bytes" ] || expect_file "$d/memory.memsw.limit_in_bytes" 9223372036854771712
    fi
}

@test "update: --kernel-memory is accepted and ignored with a warning; --kernel-memory-tcp is applied (v1)" {
    start_sleeper
    update_ok --kernel-memory 16m
    [[ "$output" == *warning*kernel* ]]
    run_hull update --kernel-memory-tcp 16m "$CID"
    if cg_on_v2 memory; then
        # no such file on v2: ignored with a warning naming it, as runc
        [ "$status" -eq 0 ]
        [[ "$output" == *kernelTCP* ]]
    elif [ -n "$(cg_probe_files memory memory.kmem.tcp.limit_in_bytes)" ]; then
        [ "$status" -eq 0 ]
        expect_file "$(cg_dir memory)/memory.kmem.tcp.limit_in_bytes" 16777216
    else
        [ "$status" -ne 0 ]
        [[ "$output" == *kernelTCP* ]]
    fi
}

@test "update: cpu shares, period and quota (v1 cpu.shares, cpu.cfs_*; v2 cpu.weight, cpu.max)" {
    start_sleeper
    d=$(cg_dir cpu)
    update_ok --cpu-share 512 --cpu-period 50000 --cpu-quota 25000
    if cg_on_v2 cpu; then
        # runc's conversion: weight = 1 + (shares - 2) * 9999 / 262142
        expect_file "$d/cpu.weight" 20
        expect_file "$d/cpu.max" "25000 50000"
    else
        expect_file "$d/cpu.shares" 512
        expect_file "$d/cpu.cfs_period_us" 50000
        expect_file "$d/cpu.cfs_quota_us" 25000
    fi
    # --cpu-shares: the spelling of issue 3 and docker, same flag
    update_ok --cpu-shares 1024 --cpu-quota -1
    if cg_on_v2 cpu; then
        expect_file "$d/cpu.weight" 39
        expect_file "$d/cpu.max" "max 50000"
    else
        expect_file "$d/cpu.shares" 1024
        expect_file "$d/cpu.cfs_quota_us" -1
    fi
}

@test "update: cpu burst and idle where the kernel has them, else an error naming the field" {
    start_sleeper
    d=$(cg_dir cpu)
    run_hull update --cpu-period 100000 --cpu-quota 50000 --cpu-burst 10000 "$CID"
    if [ -n "$(cg_probe_files cpu cpu.cfs_burst_us cpu.max.burst)" ]; then
        [ "$status" -eq 0 ]
        if [ -e "$d/cpu.max.burst" ]; then expect_file "$d/cpu.max.burst" 10000; else expect_file "$d/cpu.cfs_burst_us" 10000; fi
    else
        [ "$status" -ne 0 ]
        [[ "$output" == *cpu.burst* ]]
    fi
    run_hull update --cpu-idle 1 "$CID"
    if [ -n "$(cg_probe_files cpu cpu.idle)" ]; then
        [ "$status" -eq 0 ]
        expect_file "$d/cpu.idle" 1
    else
        [ "$status" -ne 0 ]
        [[ "$output" == *cpu.idle* ]]
    fi
}

@test "update: cpu realtime runtime and period (v1 cpu.rt_*), else an error naming the field" {
    start_sleeper
    d=$(cg_dir cpu)
    run_hull update --cpu-rt-period 1000000 --cpu-rt-runtime 0 "$CID"
    if ! cg_on_v2 cpu && [ -n "$(cg_probe_files cpu cpu.rt_runtime_us)" ]; then
        [ "$status" -eq 0 ]
        expect_file "$d/cpu.rt_period_us" 1000000
        expect_file "$d/cpu.rt_runtime_us" 0
    else
        [ "$status" -ne 0 ]
        [[ "$output" == *cpu.realtime* ]]
    fi
}

@test "update: cpuset cpus and mems (cpuset.cpus, cpuset.mems) and the process's affinity" {
    start_sleeper
    d=$(cg_dir cpuset)
    update_ok --cpuset-cpus 0 --cpuset-mems 0
    expect_file "$d/cpuset.cpus" 0
    expect_file "$d/cpuset.mems" 0
    grep -E '^Cpus_allowed_list:[[:space:]]+0$' "/proc/$(pid_of "$CID")/status"
}

@test "update: pids limit (pids.max); 0 and -1 are unlimited" {
    start_sleeper
    d=$(cg_dir pids)
    update_ok --pids-limit 42
    expect_file "$d/pids.max" 42
    update_ok --pids-limit 0
    expect_file "$d/pids.max" max
}

@test "update: blkio weight where the kernel has a weight file, else an error naming the field" {
    start_sleeper
    run_hull update --blkio-weight 500 "$CID"
    if cg_on_v2 blkio; then
        d=$(cg_dir "")
        if [ -e "$d/io.bfq.weight" ]; then
            [ "$status" -eq 0 ]
            expect_file "$d/io.bfq.weight" "default 500" 500
        elif [ -e "$d/io.weight" ]; then
            [ "$status" -eq 0 ]
            # runc's conversion: 1 + (weight - 10) * 9999 / 990
            expect_file "$d/io.weight" "default 4950"
        else
            [ "$status" -ne 0 ]
            [[ "$output" == *blockIO.weight* ]]
        fi
    else
        d=$(cg_dir blkio)
        if [ -e "$d/blkio.weight" ] || [ -e "$d/blkio.bfq.weight" ]; then
            [ "$status" -eq 0 ]
            if [ -e "$d/blkio.weight" ]; then f=blkio.weight; else f=blkio.bfq.weight; fi
            expect_file "$d/$f" 500 "default 500"
        else
            [ "$status" -ne 0 ]
            [[ "$output" == *blockIO.weight* ]]
        fi
    fi
}

@test "update: --resources FILE, --resources - (stdin), and flags on top of the file" {
    start_sleeper
    pd=$(cg_dir pids)
    md=$(cg_dir memory)
    if cg_on_v2 memory; then mf=memory.max; else mf=memory.limit_in_bytes; fi
    echo '{"pids": {"limit": 11}, "memory": {"limit": 67108864}}' > "$TEST_DIR/r.json"
    update_ok --resources "$TEST_DIR/r.json"
    expect_file "$pd/pids.max" 11
    expect_file "$md/$mf" 67108864
    # standard input, the way engines pass it
    echo '{"pids": {"limit": 12}}' | hull update -r - "$CID"
    expect_file "$pd/pids.max" 12
    expect_file "$md/$mf" 67108864
    # --resources=FILE and a flag: the flag wins, the rest of the file applies
    echo '{"pids": {"limit": 13}, "memory": {"limit": 33554432}}' > "$TEST_DIR/r.json"
    update_ok --resources="$TEST_DIR/r.json" --pids-limit 14
    expect_file "$pd/pids.max" 14
    expect_file "$md/$mf" 33554432
}

@test "update: devices in a --resources document are ignored with a warning" {
    start_sleeper
    echo '{"devices": [{"allow": true, "access": "rwm"}], "pids": {"limit": 21}}' > "$TEST_DIR/r.json"
    update_ok -r "$TEST_DIR/r.json"
    [[ "$output" == *warning*devices* ]]
    expect_file "$(cg_dir pids)/pids.max" 21
    # the device rules did not change: a device outside the defaults is still denied
    if ! cg_on_v2 devices; then
        ! grep -qx 'a \*:\* rwm' "$(cg_dir devices)/devices.list" || false
    fi
}

@test "update: refused flags and bad values are errors naming them; nothing changes" {
    start_sleeper
    d=$(cg_dir pids)
    update_ok --pids-limit 30
    for args in "--l3-cache-schema L3:0=f" "--mem-bw-schema MB:0=50"; do
        run_hull update $args --pids-limit 31 "$CID"
        [ "$status" -ne 0 ]
        [[ "$output" == *"${args%% *}"*"Intel RDT"* ]]
    done
    run_hull update --memory 12q "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *--memory*12q* ]]
    run_hull update --pids-limit many "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *--pids-limit* ]]
    run_hull update --blkio-weight 5 "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *--blkio-weight* ]]
    run_hull update --no-such-flag 1 "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *--no-such-flag* ]]
    # a --resources document is checked like config.json, errors naming the JSON path
    echo '{"pids": {"limit": "31"}}' > "$TEST_DIR/r.json"
    run_hull update -r "$TEST_DIR/r.json" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"$TEST_DIR/r.json: pids.limit:"* ]]
    run_hull update -r "$TEST_DIR/missing.json" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *missing.json* ]]
    expect_file "$d/pids.max" 30
}

@test "update: a failed update restores the previous values" {
    start_sleeper '.linux.resources.memory = {"limit": 67108864}'
    d=$(cg_dir memory)
    if cg_on_v2 memory; then f=memory.max; else f=memory.limit_in_bytes; fi
    # memory is applied before hugetlb, whose page size does not exist: the update fails, naming it
    echo '{"memory": {"limit": 33554432}, "hugepageLimits": [{"pageSize": "3MB", "limit": 0}]}' > "$TEST_DIR/r.json"
    run_hull update -r "$TEST_DIR/r.json" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *hugepageLimits* ]]
    expect_file "$d/$f" 67108864
    [ "$(jq .linux.resources.memory.limit "$ROOT/$CID/config.json")" = 67108864 ]
}

@test "update: the saved config follows, so events --stats and a second update see the new values" {
    start_sleeper '.linux.resources = {"pids": {"limit": 50}, "memory": {"limit": 67108864}}'
    update_ok --pids-limit 7
    # the state directory's config.json (statedir.h): merged, the rest kept
    jq -e '.linux.resources.pids.limit == 7 and .linux.resources.memory.limit == 67108864' "$ROOT/$CID/config.json"
    jq -e '.process.args == ["sh", "-c", "exec sleep 1000"]' "$ROOT/$CID/config.json"
    run_hull events --stats "$CID"
    [ "$status" -eq 0 ]
    [ "$(jq .data.pids.limit <<< "$output")" = 7 ]
}

@test "update: a created and a paused container can be updated; a paused one stays paused" {
    set_cmd 'exec sleep 1000'
    hull create -b "$BUNDLE" "$CID"
    update_ok --pids-limit 8
    expect_file "$(cg_dir pids)/pids.max" 8
    status_is "$CID" created
    hull start "$CID"
    hull pause "$CID"
    update_ok --pids-limit 9
    expect_file "$(cg_dir pids)/pids.max" 9
    status_is "$CID" paused
    hull resume "$CID"
}

@test "update: a stopped or missing container is an error" {
    set_cmd 'true'
    hull run -d -b "$BUNDLE" "$CID"
    wait_for status_is "$CID" stopped
    run_hull update --pids-limit 5 "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *stopped* ]]
    run_hull update --pids-limit 5 "${ID_PREFIX}missing"
    [ "$status" -ne 0 ]
    [[ "$output" == *"does not exist"* ]]
    run_hull update --pids-limit 5
    [ "$status" -ne 0 ]
}

@test "update: the zeros docker sends for what was not given (cpu quota and period, shares, blkio weight, reservation) change nothing" {
    start_sleeper '.linux.resources.cpu = {"shares": 512, "quota": 25000, "period": 50000}'
    d=$(cg_dir cpu)
    m=$(cg_dir memory)
    # what dockerd sends for `docker update --memory 64m` (toContainerdResources)
    echo '{"cpu": {"cpus": "", "mems": "", "period": 0, "quota": 0, "shares": 0},
           "memory": {"limit": 67108864, "reservation": 0}, "blockIO": {"weight": 0}}' > "$TEST_DIR/r.json"
    update_ok --resources "$TEST_DIR/r.json"
    if cg_on_v2 cpu; then
        expect_file "$d/cpu.max" "25000 50000"
        expect_file "$d/cpu.weight" 20
        expect_file "$m/memory.max" 67108864
    else
        expect_file "$d/cpu.cfs_quota_us" 25000
        expect_file "$d/cpu.cfs_period_us" 50000
        expect_file "$d/cpu.shares" 512
        expect_file "$m/memory.limit_in_bytes" 67108864
    fi
}
