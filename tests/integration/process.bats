#!/usr/bin/env bats
# process: args, env, cwd, user, capabilities, rlimits, noNewPrivileges, oomScoreAdj.

load helpers

# status_field NAME: the value of NAME: in a /proc/self/status copy held in $output
status_field() {
    awk -v k="$1:" '$1 == k { $1 = ""; sub(/^[ \t]+/, ""); print; exit }' <<< "$output"
}

@test "process: args[0] is looked up in the PATH of process.env" {
    mkdir -p "$ROOTFS/opt/tools"
    cp "$ROOTFS/bin/busybox" "$ROOTFS/opt/tools/echo"
    update_config '.process.env = ["PATH=/opt/tools"] | .process.args = ["echo", "found", "in", "opt"]'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    [ "$output" = "found in opt" ]
}

@test "process: without PATH in env the default PATH is searched" {
    update_config '.process.env = ["FOO=1"] | .process.args = ["sh", "-c", "echo ran"]'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    [ "$output" = ran ]
}

@test "process: an absolute args[0] is run as it is" {
    update_config '.process.args = ["/bin/sh", "-c", "echo $0"]'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    [ "$output" = /bin/sh ]
}

@test "process: args with spaces and quotes arrive intact" {
    update_config '.process.args = ["sh", "-c", "for a in \"$@\"; do echo \"<$a>\"; done", "sh", "a b", "c\"d", "", "e'"'"'f"]'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "<a b>" ]
    [ "${lines[1]}" = '<c"d>' ]
    [ "${lines[2]}" = "<>" ]
    [ "${lines[3]}" = "<e'f>" ]
}

@test "process: env is exactly process.env (nothing of hull's environment leaks in)" {
    update_config '.process.env = ["PATH=/bin", "FOO=bar baz", "EMPTY="]'
    set_cmd 'env | sort'
    HULLTEST_SECRET=leak run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    grep -qx 'FOO=bar baz' <<< "$output"
    grep -qx 'EMPTY=' <<< "$output"
    grep -qx 'PATH=/bin' <<< "$output"
    ! grep -q HULLTEST_SECRET <<< "$output" || false
    # only what config.json gave, plus what the shell itself sets (PWD, SHLVL) and HOME
    for l in "${lines[@]}"; do
        case "${l%%=*}" in FOO|EMPTY|PATH|PWD|SHLVL|HOME|_) ;; *) echo "unexpected: $l"; false ;; esac
    done
}

@test "process: HOME is set from /etc/passwd when env has none" {
    update_config '.process.user = {"uid": 1, "gid": 1}'
    run_container 'echo "home=$HOME"'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "home=/usr/sbin" ]
}

@test "process: cwd is where the process starts" {
    mkdir -p "$ROOTFS/work/dir"
    update_config '.process.cwd = "/work/dir"'
    run_container 'pwd'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = /work/dir ]
}

@test "process: user uid, gid, additionalGids and umask" {
    update_config '.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [5, 100, 2000], "umask": 63}'
    run_container 'cat /proc/self/status; echo "umask $(umask)"; touch /tmp/f; stat -c "%u %g %a" /tmp/f'
    [ "$status" -eq 0 ]
    [ "$(status_field Uid)" = "1000 1000 1000 1000" ]
    [ "$(status_field Gid)" = "1001 1001 1001 1001" ]
    [ "$(status_field Groups | xargs -n1 | sort -n | xargs)" = "5 100 2000" ]
    [ "$(status_field Umask)" = 0077 ]
    grep -qx 'umask 0077' <<< "$output"
    [ "${lines[-1]}" = "1000 1001 600" ]
}

@test "process: without additionalGids the supplementary groups are empty" {
    update_config '.process.user = {"uid": 1000, "gid": 1000}'
    run_container 'cat /proc/self/status'
    [ "$status" -eq 0 ]
    [ -z "$(status_field Groups)" ]
}

@test "process: the default umask is 0022" {
    run_container 'umask'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 0022 ]
}

@test "process: capabilities of root are the config's sets (runc's default spec)" {
    run_container 'cat /proc/self/status'
    [ "$status" -eq 0 ]
    # CAP_AUDIT_WRITE (29), CAP_KILL (5), CAP_NET_BIND_SERVICE (10)
    [ "$(status_field CapBnd)" = 0000000020000420 ]
    [ "$(status_field CapEff)" = 0000000020000420 ]
    [ "$(status_field CapPrm)" = 0000000020000420 ]
}

@test "process: all five capability sets of a non-root user" {
    update_config '.process.user = {"uid": 1000, "gid": 1000}
        | .process.capabilities = {
            "bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"],
            "permitted": ["CAP_CHOWN", "CAP_KILL"],
            "effective": ["CAP_CHOWN", "CAP_KILL"],
            "inheritable": ["CAP_CHOWN", "CAP_KILL"],
            "ambient": ["CAP_KILL"]}'
    run_container 'cat /proc/self/status'
    [ "$status" -eq 0 ]
    # CHOWN = 0, KILL = 5, NET_RAW = 13; after exec a non-root process keeps the ambient set
    [ "$(status_field CapBnd)" = 0000000000002021 ]
    [ "$(status_field CapInh)" = 0000000000000021 ]
    [ "$(status_field CapAmb)" = 0000000000000020 ]
    [ "$(status_field CapPrm)" = 0000000000000020 ]
    [ "$(status_field CapEff)" = 0000000000000020 ]
}

@test "process: no capabilities at all" {
    update_config '.process.capabilities = {}'
    run_container 'cat /proc/self/status'
    [ "$status" -eq 0 ]
    [ "$(status_field CapBnd)" = 0000000000000000 ]
    [ "$(status_field CapEff)" = 0000000000000000 ]
}

@test "process: a capability is enforced (chown needs CAP_CHOWN)" {
    update_config '.process.capabilities.bounding += ["CAP_CHOWN"] | .process.capabilities.effective += ["CAP_CHOWN"] | .process.capabilities.permitted += ["CAP_CHOWN"]'
    run_container 'touch /tmp/f && chown 1234 /tmp/f && echo CHOWN-OK'
    grep -q CHOWN-OK <<< "$output"
    update_config '.process.capabilities = {}'
    run_container 'touch /tmp/g && chown 1234 /tmp/g && echo CHOWN-OK'
    ! grep -q CHOWN-OK <<< "$output" || false
}

@test "process: an unknown capability is an error naming it" {
    update_config '.process.capabilities.bounding += ["CAP_NO_SUCH"]'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *CAP_NO_SUCH* ]]
    [[ "$output" == *process.capabilities.bounding* ]]
    assert_nothing_left
}

@test "process: rlimits show in /proc/self/limits" {
    update_config '.process.rlimits = [
        {"type": "RLIMIT_NOFILE", "soft": 512, "hard": 1024},
        {"type": "RLIMIT_CORE", "soft": 0, "hard": 4096},
        {"type": "RLIMIT_NPROC", "soft": 300, "hard": 400}]'
    run_container 'cat /proc/self/limits; ulimit -n'
    [ "$status" -eq 0 ]
    grep -Eq '^Max open files +512 +1024 +files' <<< "$output"
    grep -Eq '^Max core file size +0 +4096 +bytes' <<< "$output"
    grep -Eq '^Max processes +300 +400 +processes' <<< "$output"
    [ "${lines[-1]}" = 512 ]
}

@test "process: an rlimit the kernel refuses (NOFILE above fs.nr_open) is a clear error" {
    nr_open=$(cat /proc/sys/fs/nr_open)
    update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 1024, "hard": ($n + 1)}]' --argjson n "$nr_open"
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    echo "$output"
    [[ "$output" == *RLIMIT_NOFILE* ]] || [[ "$output" == *process.rlimits* ]]
    assert_nothing_left
}

@test "process: an rlimit above the caller's hard limit without CAP_SYS_RESOURCE is a clear error" {
    command -v setpriv >/dev/null || skip "needs setpriv (util-linux)"
    update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 4096}]'
    run bash -c 'ulimit -Sn 1024 && ulimit -Hn 2048 && exec setpriv --bounding-set=-sys_resource "$@"' _ \
        "$HULL" --root "$ROOT" run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    echo "$output"
    [[ "$output" == *RLIMIT_NOFILE* ]] || [[ "$output" == *process.rlimits* ]]
    assert_nothing_left
}

@test "process: soft above hard is an error" {
    update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 2048, "hard": 1024}]'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *RLIMIT_NOFILE* ]] || [[ "$output" == *process.rlimits* ]]
    assert_nothing_left
}

@test "process: an unknown rlimit type is an error naming it" {
    update_config '.process.rlimits = [{"type": "RLIMIT_NOPE", "soft": 1, "hard": 1}]'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *RLIMIT_NOPE* ]]
    assert_nothing_left
}

@test "process: noNewPrivileges true and false" {
    update_config '.process.noNewPrivileges = true'
    run_container 'cat /proc/self/status'
    [ "$status" -eq 0 ]
    [ "$(status_field NoNewPrivs)" = 1 ]
    update_config '.process.noNewPrivileges = false'
    run_container 'cat /proc/self/status'
    [ "$status" -eq 0 ]
    [ "$(status_field NoNewPrivs)" = 0 ]
}

@test "process: oomScoreAdj" {
    update_config '.process.oomScoreAdj = 789'
    run_container 'cat /proc/self/oom_score_adj'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 789 ]
}

@test "process: oomScoreAdj out of range is an error" {
    update_config '.process.oomScoreAdj = 5000'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *oomScoreAdj* ]]
    assert_nothing_left
}

@test "process: the pid in the state runs exactly process.args" {
    set_cmd 'exec sleep 100'
    hull run -d -b "$BUNDLE" "$CID"
    pid=$(pid_of "$CID")
    [ "$(tr '\0' ' ' < /proc/$pid/cmdline)" = "sleep 100 " ]
}

@test "process: oomScoreAdj below the caller's own (containerd's shim runs at +1, docker asks for 0) is applied" {
    local mine
    mine=$(cat /proc/self/oom_score_adj)
    [ "$mine" -lt 1000 ]
    update_config ".process.oomScoreAdj = $mine"
    set_cmd 'cat /proc/self/oom_score_adj'
    # raising one's own value needs no privilege; going back down to the old value is allowed by the kernel
    run bash -c "echo $((mine + 1)) > /proc/self/oom_score_adj && cat /proc/self/oom_score_adj && exec $(printf '%q' "$HULL") --root $(printf '%q' "$ROOT") run -b $(printf '%q' "$BUNDLE") $CID"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = $((mine + 1)) ]
    [ "${lines[1]}" = "$mine" ]
}
