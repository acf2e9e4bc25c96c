#!/bin/bash
# tests/demo.sh (`make demo`): build a busybox bundle under build/demo-bundle and run one container
# that prints who and where it is: hostname, its pid, its ids and its mounts.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HULL=${HULL:-$REPO/build/hull}
BUNDLE=$REPO/build/demo-bundle

[ "$(id -u)" = 0 ] || { echo "demo: must run as root" >&2; exit 1; }
[ -x "$HULL" ] || { echo "demo: $HULL not built (run make)" >&2; exit 1; }

rm -rf "$BUNDLE"
mkdir -p "$BUNDLE"
"$REPO/tests/lib/mkrootfs.sh" "$BUNDLE/rootfs"
(cd "$BUNDLE" && "$HULL" spec)

script='echo "hostname: $(hostname)"; echo pid $$; id; echo "--- /proc/self/mounts:"; cat /proc/self/mounts'
jq --arg s "$script" '.process.terminal = false | .process.args = ["sh", "-c", $s] | .hostname = "hull-demo"' \
    "$BUNDLE/config.json" > "$BUNDLE/config.json.new"
mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"

echo "demo: $HULL run -b $BUNDLE demo-$$" >&2
rc=0
"$HULL" run -b "$BUNDLE" "demo-$$" || rc=$?
echo "demo: container exited with status $rc" >&2
exit $rc
