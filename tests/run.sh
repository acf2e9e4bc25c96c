#!/bin/bash
# tests/run.sh [--unit|--integration] [BATS_FILE[:REGEX]...]: run hull's tests and count them.
#
#   --unit         only the C unit tests: every build/tests/test_* (or $HULL_UNIT_DIR/test_*)
#   --integration  only the bats files: tests/integration/*.bats (or the files given; FILE:REGEX
#                  runs only the tests of FILE whose name matches REGEX, as bats -f does)
#   (neither)      both
#
# Every test program speaks TAP.  Lines "ok" count as passed, "not ok" as failed, "ok ... # skip"
# as skipped (never as passed).  A program that exits non-zero without reporting a failure, or
# reports fewer results than its plan, counts one more failure.  The last line printed is always
#   N passed, N failed, N skipped
# and the exit status is non-zero when anything failed.  Logs: build/test-logs/latest/.
# Environment: HULL (the runtime binary the bats suite runs, default build/hull), HULL_UNIT_DIR,
# HULL_TEST_ROOTFS (the cached rootfs, default build/test-rootfs; HULL_TEST_ROOTFS_FROM copies a
# ready one instead of building it), BATS_TEST_TIMEOUT (seconds).
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

mode=all
files=()
for a in "$@"; do
    case "$a" in
        --unit) mode=unit ;;
        --integration) mode=integration ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "run.sh: unknown option $a" >&2; exit 2 ;;
        *) files+=("$a") ;;
    esac
done

if [ "$(id -u)" != 0 ]; then
    echo "run.sh: the tests must run as root" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi

# One token for this run: part of every container id, cgroup, temporary path and log directory,
# so that two runs at the same time never mix (zz_leaks.bats checks this run's leftovers only).
export HULL_TEST_RUN=${HULL_TEST_RUN:-$(tr -dc 'a-z0-9' < /dev/urandom | head -c 6)}
LOGS=${HULL_TEST_LOGS:-$REPO/build/test-logs/run-$HULL_TEST_RUN}
mkdir -p "$LOGS"
ln -sfn "$(basename "$LOGS")" "$(dirname "$LOGS")/latest" 2>/dev/null || true
passed=0 failed=0 skipped=0

# count_tap LOG STATUS NAME: add LOG's TAP results to the totals, print a one-line summary for the
# suite and the failures with their diagnostics.
count_tap() {
    local log=$1 status=$2 name=$3 p=0 f=0 s=0 plan= extra=
    local line
    while IFS= read -r line; do
        case "$line" in
            "not ok "*) f=$((f + 1)) ;;
            "ok "*)
                # "ok 3 name # skip reason" (bats, TAP); "# SKIP" too
                if [[ $line =~ \ \#\ [Ss][Kk][Ii][Pp]([[:space:]]|$) ]]; then s=$((s + 1)); else p=$((p + 1)); fi ;;
            1..*) plan=${line#1..}; plan=${plan%% *} ;;
        esac
    done < "$log"
    local seen=$((p + f + s))
    if [[ $plan =~ ^[0-9]+$ ]] && [ "$seen" -lt "$plan" ]; then
        f=$((f + plan - seen)); extra=" ($((plan - seen)) planned tests never reported)"
    fi
    if [ "$status" != 0 ] && [ $f = 0 ]; then
        f=1; extra=" (exited with status $status without reporting a failure)"
    fi
    if [ -z "$plan" ] && [ $seen = 0 ] && [ $f = 0 ]; then
        f=1; extra=" (no TAP output)"
    fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    printf '%-40s %3d passed, %3d failed, %3d skipped%s\n' "$name" $p $f $s "$extra"
    if [ $f -gt 0 ]; then
        # the failures and the diagnostic lines that follow them
        awk '/^not ok /{show=1; print "    " $0; next} /^(ok |1\.\.)/{show=0} show && /^#/{print "    " $0}' "$log" | head -n 200
        [ -n "$extra" ] && tail -n 5 "$log" | sed 's/^/    | /'
        echo "    (full log: ${log#"$REPO"/})"
    fi
}

run_unit() {
    local dir=${HULL_UNIT_DIR:-$REPO/build/tests} t name
    local tests=()
    for t in "$dir"/test_*; do
        [ -x "$t" ] && [ -f "$t" ] && tests+=("$t")
    done
    echo "== unit tests (${dir#"$REPO"/}: ${#tests[@]} programs)"
    if [ ${#tests[@]} = 0 ]; then
        echo "run.sh: no unit test programs in $dir (run make unit)" >&2
        failed=$((failed + 1))
        return
    fi
    for t in "${tests[@]}"; do
        name=$(basename "$t")
        (cd "$REPO" && timeout -k 10 "${HULL_UNIT_TIMEOUT:-300}" "$t") > "$LOGS/unit-$name.log" 2>&1
        count_tap "$LOGS/unit-$name.log" $? "unit/$name"
    done
}

run_integration() {
    local f name
    if [ ${#files[@]} = 0 ]; then
        files=(tests/integration/*.bats)
    fi
    export HULL=${HULL:-$REPO/build/hull}
    export HULL_TEST_ROOTFS=${HULL_TEST_ROOTFS:-$REPO/build/test-rootfs}
    export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-60}
    local tmp=${TMPDIR:-/tmp}/hull-tests-$HULL_TEST_RUN
    mkdir -p "$tmp"
    export HULL_TEST_TMP=$tmp
    echo "== integration tests (${#files[@]} files, HULL=$HULL)"
    if ! command -v bats >/dev/null; then
        echo "run.sh: bats missing (make deps)" >&2
        failed=$((failed + 1))
        return
    fi
    # The shared rootfs is built fresh once per suite run; every test copies it.
    rm -rf "$HULL_TEST_ROOTFS"
    if [ -n "${HULL_TEST_ROOTFS_FROM:-}" ]; then
        cp -a "$HULL_TEST_ROOTFS_FROM" "$HULL_TEST_ROOTFS" 2> "$LOGS/mkrootfs.log"
    else
        "$REPO/tests/lib/mkrootfs.sh" "$HULL_TEST_ROOTFS" > "$LOGS/mkrootfs.log" 2>&1
    fi
    if [ $? != 0 ]; then
        cat "$LOGS/mkrootfs.log" >&2
        failed=$((failed + 1))
        return
    fi
    local filter
    for f in "${files[@]}"; do
        filter=()
        if [[ $f == *.bats:* ]]; then
            filter=(-f "${f#*.bats:}")
            f=${f%%.bats:*}.bats
        fi
        name=$(basename "$f" .bats)
        TMPDIR=$tmp bats --tap --timing "${filter[@]}" "$f" > "$LOGS/bats-$name.log" 2>&1
        count_tap "$LOGS/bats-$name.log" $? "integration/$name${filter[1]:+ (selected)}"
    done
    # never remove a directory with something mounted below it
    if ! awk -v d="$tmp" 'index($5, d) == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo; then
        rm -rf "$tmp"
    else
        echo "run.sh: mounts left under $tmp: not removed" >&2
    fi
}

case $mode in
    unit) run_unit ;;
    integration) run_integration ;;
    all) run_unit; run_integration ;;
esac

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
