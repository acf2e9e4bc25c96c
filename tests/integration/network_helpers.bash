# network_helpers.bash: what the tests of hull's networking share (network.bats, netdevices.bats).
#
# The host is never touched: every test makes its own network namespace ($TESTNS) and runs hull
# in it (nsenter --net: only the network namespace changes, hull sees the host's cgroups and
# mounts as usual), so the "host end" of each pair, the bridges and the test's own devices all
# live there; addresses are from 10.199.0.0/16 and fd00:199::/32 only.  The teardown deletes the
# containers (in that namespace), fails the test if a veth host end or a hull-made bridge is left
# there, and deletes the namespace.
#
# Load it after helpers.bash; the file's setup and teardown call network_setup / network_teardown.

load ../lib/hull_links

# network_setup: hull_setup, then $TESTNS made (lo up), $N the test's number, CAP_NET_RAW for ping.
network_setup() {
    hull_setup
    [ "$(basename "$HULL")" = hull ] || skip "hull's own networking (run.hull.network*): not a feature of $HULL"
    requires ip
    TESTNS=${ID_PREFIX}net
    ip netns add "$TESTNS"
    ip -n "$TESTNS" link set lo up
    N=$BATS_TEST_NUMBER
    # the real host's hull-style links (none, unless someone runs hull there), to check that
    # none is added
    HOST_LINKS=$(hull_links_in "")
    # the containers ping: CAP_NET_RAW
    update_config '.process.capabilities |= with_entries(.value += ["CAP_NET_RAW"])'
}

# network_teardown: hull_teardown (the containers deleted in $TESTNS), then a failure if a veth
# host end or a hull-made bridge is left in $TESTNS or appeared in the caller's namespace; $TESTNS
# deleted.
network_teardown() {
    local rc=0 left
    hull_teardown || rc=1
    if [ -n "${TESTNS:-}" ] && [ -e "/run/netns/$TESTNS" ]; then
        left=$(ns_hull_links)
        if [ -n "$left" ]; then
            echo "LEFT BEHIND in $TESTNS: $left" >&2
            rc=1
        fi
        ip netns del "$TESTNS"
    fi
    if [ -n "${TESTNS:-}" ] && [ "$(hull_links_in "")" != "$HOST_LINKS" ]; then
        echo "the host's own network namespace got links: $(hull_links_in "")" >&2
        rc=1
    fi
    return $rc
}

# hull (helpers.bash) runs in the test's network namespace here, for every command and the
# teardown's deletes alike.
hull() {
    if [ -n "${TESTNS:-}" ] && [ -e "/run/netns/$TESTNS" ]; then
        timeout --foreground -k 5 "${HULL_CMD_TIMEOUT:-60}" nsenter --net="/run/netns/$TESTNS" "$HULL" --root "$ROOT" "$@"
    else
        timeout --foreground -k 5 "${HULL_CMD_TIMEOUT:-60}" "$HULL" --root "$ROOT" "$@"
    fi
}

# in_ns CMD...: CMD in the test's network namespace.
in_ns() {
    nsenter --net="/run/netns/$TESTNS" "$@"
}

# ns_hull_links: those of the test's namespace.
ns_hull_links() {
    hull_links_in "$TESTNS"
}

# link_exists NAME / link_gone NAME: NAME is / is not a link of the test's namespace.  (A bare
# `! cmd` never fails a bats test: bash's errexit ignores negated commands.)
link_exists() {
    ip -n "$TESTNS" link show "$1" > /dev/null 2>&1
}
link_gone() {
    ! link_exists "$1" || false
}

# annotate KEY VALUE...: set run.hull.network.KEY (KEY "" for run.hull.network itself).
annotate() {
    while [ $# -gt 0 ]; do
        local k=run.hull.network${1:+.$1}
        update_config '.annotations[$k] = $v' --arg k "$k" --arg v "$2"
        shift 2
    done
}

# host_ifname ID: the host end's name, as `hull state` gives it.
host_ifname() {
    hull state "$1" | jq -r '.annotations["run.hull.network.host-ifname"]'
}

# start_sleeping ID [hull run options...]: a detached container that sleeps (for exec).
start_sleeping() {
    local id=$1
    shift
    set_cmd 'exec sleep 1000'
    run_hull run -d -b "$BUNDLE" "$@" "$id"
    [ "$status" -eq 0 ]
}
