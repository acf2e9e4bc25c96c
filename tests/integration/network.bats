#!/usr/bin/env bats
# Networking (issue 6): the veth pair hull makes itself through netlink (point-to-point or a bridge
# port), the run.hull.network* annotations and --network, and the cleanup of all of it on delete
# and on failure.  linux.netDevices: netdevices.bats.
#
# Every test runs hull in a network namespace of its own ($TESTNS): see network_helpers.bash.

load helpers
load network_helpers

setup() {
    network_setup
}

teardown() {
    network_teardown
}

@test "network: veth point-to-point from the annotations: host end <-> container over IPv4 and IPv6, routes, state" {
    annotate "" veth address "10.199.$N.2/24,fd00:199:$N::2/64" gateway "10.199.$N.1, fd00:199:$N::1" \
        host-address "10.199.$N.1/24,fd00:199:$N::1/64"
    start_sleeping "$CID"
    host=$(host_ifname "$CID")
    echo "host end: $host"
    [[ $host =~ ^hv[0-9a-f]{12}$ ]]
    # the host end: in the test's namespace, up, with its addresses
    ip -n "$TESTNS" addr show "$host"
    ip -n "$TESTNS" addr show "$host" | grep -q "inet 10.199.$N.1/24"
    ip -n "$TESTNS" addr show "$host" | grep -q "inet6 fd00:199:$N::1/64"
    ip -n "$TESTNS" link show "$host" | grep -q 'state UP'
    # the container's end
    run_hull exec "$CID" ip addr show eth0
    [ "$status" -eq 0 ]
    [[ $output == *"inet 10.199.$N.2/24"* ]]
    [[ $output == *"inet6 fd00:199:$N::2/64"* ]]
    # usable at once: no duplicate address detection pending (IFA_F_NODAD)
    [[ $(grep "inet6 fd00" <<< "$output") != *tentative* ]]
    run_hull exec "$CID" ip route
    [[ $output == *"default via 10.199.$N.1 dev eth0"* ]]
    run_hull exec "$CID" ip -6 route
    [[ $output == *"default via fd00:199:$N::1 dev eth0"* ]]
    # both ways, both families
    run_hull exec "$CID" ping -c1 -W3 "10.199.$N.1"
    [ "$status" -eq 0 ]
    run_hull exec "$CID" ping6 -c1 -W3 "fd00:199:$N::1"
    [ "$status" -eq 0 ]
    in_ns busybox ping -c1 -W3 "10.199.$N.2"
    in_ns busybox ping6 -c1 -W3 "fd00:199:$N::2"
    # the state records it
    grep -qx "host-ifname $host" "$ROOT/$CID/network"
    run_hull delete --force "$CID"
    [ "$status" -eq 0 ]
    link_gone "$host"
}

@test "network: the process starts with its network ready (create + start, no wait)" {
    annotate "" veth address "10.199.$N.2/24" host-address "10.199.$N.1/24"
    # the first thing the process does: look at its interface and ping
    set_cmd "cat /sys/class/net/eth0/operstate; ip -4 addr show eth0 | grep -o 'inet [0-9./]*'; ping -c1 -W3 10.199.$N.1 > /dev/null && echo reached"
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = up ]
    [ "${lines[1]}" = "inet 10.199.$N.2/24" ]
    [ "${lines[2]}" = reached ]
    # run deleted it: no host end left
    [ -z "$(ns_hull_links)" ]
}

@test "network: --network replaces the annotations" {
    annotate "" "bridge=nosuchbr" address "10.199.99.2/24"
    start_sleeping "$CID" --network "veth,address=10.199.$N.2/24,host-address=10.199.$N.1/24,ifname=net$N"
    run_hull exec "$CID" ip -4 addr show "net$N"
    [ "$status" -eq 0 ]
    [[ $output == *"inet 10.199.$N.2/24"* ]]
    [[ $output != *10.199.99.2* ]]
    run_hull exec "$CID" ping -c1 -W3 "10.199.$N.1"
    [ "$status" -eq 0 ]
    # --network none: the annotations' network is off, the container has only lo
    set_cmd 'ls /sys/class/net'
    run_hull run -b "$BUNDLE" --network none "${ID_PREFIX}b"
    [ "$status" -eq 0 ]
    [ "$output" = lo ]
}

@test "network: two containers on a hull-made bridge reach each other (IPv4, IPv6); the bridge goes with its last port" {
    local br=hullbr$N
    for i in 2 3; do
        start_sleeping "${ID_PREFIX}c$i" --network \
            "bridge=$br,address=10.199.$N.$i/24,fd00:199:$N::$i/64,host-address=10.199.$N.1/24,fd00:199:$N::1/64,gateway=10.199.$N.1"
    done
    ip -n "$TESTNS" -d link show "$br"
    ip -n "$TESTNS" -d link show "$br" | grep -q 'alias hull:created'
    ip -n "$TESTNS" addr show "$br" | grep -q "inet 10.199.$N.1/24"
    for i in 2 3; do
        ip -n "$TESTNS" link show "$(host_ifname "${ID_PREFIX}c$i")" | grep -q "master $br"
    done
    run_hull exec "${ID_PREFIX}c2" ping -c1 -W3 "10.199.$N.3"
    [ "$status" -eq 0 ]
    run_hull exec "${ID_PREFIX}c2" ping6 -c1 -W3 "fd00:199:$N::3"
    [ "$status" -eq 0 ]
    run_hull exec "${ID_PREFIX}c3" ping -c1 -W3 "10.199.$N.2"
    [ "$status" -eq 0 ]
    run_hull exec "${ID_PREFIX}c3" ping6 -c1 -W3 "fd00:199:$N::2"
    [ "$status" -eq 0 ]
    # the bridge's address (the gateway) from the container, and the container from the host side
    run_hull exec "${ID_PREFIX}c3" ping -c1 -W3 "10.199.$N.1"
    [ "$status" -eq 0 ]
    in_ns busybox ping -c1 -W3 "10.199.$N.2"
    # one gone: the bridge stays for the other
    h2=$(host_ifname "${ID_PREFIX}c2")
    run_hull delete --force "${ID_PREFIX}c2"
    [ "$status" -eq 0 ]
    link_gone "$h2"
    link_exists "$br"
    run_hull exec "${ID_PREFIX}c3" ping -c1 -W3 "10.199.$N.1"
    [ "$status" -eq 0 ]
    # the last one gone: so is the bridge
    run_hull delete --force "${ID_PREFIX}c3"
    [ "$status" -eq 0 ]
    link_gone "$br"
}

@test "network: an existing bridge is joined as it is and never deleted" {
    ip -n "$TESTNS" link add tbr$N type bridge
    ip -n "$TESTNS" addr add "10.199.$N.1/24" dev tbr$N
    ip -n "$TESTNS" link set tbr$N up
    annotate "" "bridge=tbr$N" address "10.199.$N.2/24" gateway "10.199.$N.1"
    start_sleeping "$CID"
    run_hull exec "$CID" ping -c1 -W3 "10.199.$N.1"
    [ "$status" -eq 0 ]
    # a host-address it does not have is a conflict, not a change to someone else's bridge
    run_hull create -b "$BUNDLE" --network "bridge=tbr$N,address=10.199.$N.3/24,host-address=10.199.$N.254/24" "${ID_PREFIX}b"
    [ "$status" -ne 0 ]
    [[ $output == *"--network host-address: bridge tbr$N exists without the address 10.199.$N.254/24"* ]]
    run_hull delete --force "$CID"
    [ "$status" -eq 0 ]
    # left as it was: there, up, its address, no port
    ip -n "$TESTNS" addr show tbr$N | grep -q "inet 10.199.$N.1/24"
    [ -z "$(ip -n "$TESTNS" -o link show master tbr$N)" ]
    ip -n "$TESTNS" link del tbr$N
}

@test "network: MTU, MAC and interface name as asked, on both ends" {
    start_sleeping "$CID" --network "veth,ifname=lan$N,mtu=1280,mac=02:00:0a:c7:00:$(printf %02x "$N"),address=10.199.$N.2/24"
    run_hull exec "$CID" cat "/sys/class/net/lan$N/mtu" "/sys/class/net/lan$N/address"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 1280 ]
    [ "${lines[1]}" = "02:00:0a:c7:00:$(printf %02x "$N")" ]
    run_hull exec "$CID" ls /sys/class/net
    [ "$(echo $output)" = "lan$N lo" ]
    ip -n "$TESTNS" link show "$(host_ifname "$CID")" | grep -q 'mtu 1280'
}

@test "network: a failed setup leaves no device behind (conflicts, missing bridge, a bad route, a later failure)" {
    local br=hullbr$N
    # an address the host side has already (point-to-point)
    ip -n "$TESTNS" link add used$N type veth peer name usedp$N
    ip -n "$TESTNS" addr add "10.199.$N.1/24" dev used$N
    run_hull create -b "$BUNDLE" --network "veth,address=10.199.$N.2/24,host-address=10.199.$N.1/24" "$CID"
    [ "$status" -ne 0 ]
    [[ $output == *"--network host-address: 10.199.$N.1 is already the address of used$N"* ]]
    [ -z "$(ns_hull_links)" ]
    assert_nothing_left
    # a bridge that does not exist (and no host-address to make it)
    run_hull create -b "$BUNDLE" --network "bridge=nosuchbr,address=10.199.$N.2/24" "$CID"
    [ "$status" -ne 0 ]
    [[ $output == *"--network: bridge nosuchbr does not exist"* ]]
    [ -z "$(ns_hull_links)" ]
    # a default route the kernel refuses, after the pair and a new bridge were made
    run_hull create -b "$BUNDLE" --network "bridge=$br,address=10.199.$N.2/24,host-address=10.199.$N.1/24,gateway=10.200.0.1" "$CID"
    [ "$status" -ne 0 ]
    [[ $output == *"add default route via 10.200.0.1 dev eth0"* ]]
    [ -z "$(ns_hull_links)" ]
    link_gone "$br"
    assert_nothing_left
    # a failure after the network is up (a createRuntime hook): the pair and the bridge go too
    update_config '.hooks.createRuntime = [{"path": "/bin/false"}]'
    run_hull create -b "$BUNDLE" --network "bridge=$br,address=10.199.$N.2/24,host-address=10.199.$N.1/24" "$CID"
    [ "$status" -ne 0 ]
    [[ $output == *createRuntime* ]]
    [ -z "$(ns_hull_links)" ]
    assert_nothing_left
    update_config 'del(.hooks)'
    # two containers with one address on one bridge: the second is refused, the first untouched
    start_sleeping "${ID_PREFIX}c1" --network "bridge=$br,address=10.199.$N.2/24,host-address=10.199.$N.1/24"
    run_hull create -b "$BUNDLE" --network "bridge=$br,address=10.199.$N.2/24,host-address=10.199.$N.1/24" "${ID_PREFIX}c2"
    [ "$status" -ne 0 ]
    [[ $output == *"--network address: 10.199.$N.2 is in use on bridge $br by container ${ID_PREFIX}c1 (its port $(host_ifname "${ID_PREFIX}c1"))"* ]]
    # the bridge's own address
    run_hull create -b "$BUNDLE" --network "bridge=$br,address=10.199.$N.1/24" "${ID_PREFIX}c2"
    [ "$status" -ne 0 ]
    [[ $output == *"--network address: 10.199.$N.1 is the address of bridge $br"* ]]
    [ "$(ns_hull_links | sort)" = "$(printf '%s\n' "$br" "$(host_ifname "${ID_PREFIX}c1")" | sort)" ]
    run_hull exec "${ID_PREFIX}c1" ping -c1 -W3 "10.199.$N.1"
    [ "$status" -eq 0 ]
}

@test "network: the host end's name taken (a leftover or a colliding id) is an error, and the link is left alone" {
    start_sleeping "$CID" --network veth
    host=$(host_ifname "$CID")
    run_hull delete --force "$CID"
    [ "$status" -eq 0 ]
    ip -n "$TESTNS" link add "$host" type veth peer name taken$N
    run_hull create -b "$BUNDLE" --network veth "$CID"
    [ "$status" -ne 0 ]
    [[ $output == *"the host end's name $host (made from the container id) is taken"* ]]
    link_exists "$host"
    ip -n "$TESTNS" link del "$host"
    assert_nothing_left
}

@test "network: delete after the container's process was killed, and after hull was killed mid-create" {
    local br=hullbr$N
    start_sleeping "$CID" --network "bridge=$br,address=10.199.$N.2/24,host-address=10.199.$N.1/24"
    kill -9 "$(pid_of "$CID")"
    wait_for status_is "$CID" stopped
    run_hull delete "$CID"
    [ "$status" -eq 0 ]
    [ -z "$(ns_hull_links)" ]
    # hull itself killed while the create runs its createRuntime hooks, after the network is made
    update_config '.hooks.createRuntime = [{"path": "/bin/sh", "args": ["sh", "-c", "kill -9 $PPID"]}]'
    run_hull create -b "$BUNDLE" --network "bridge=$br,address=10.199.$N.2/24,host-address=10.199.$N.1/24" "$CID"
    [ "$status" -ne 0 ]
    [ -e "$ROOT/$CID/network" ]
    run_hull delete --force "$CID"
    [ "$status" -eq 0 ]
    [ -z "$(ns_hull_links)" ]
    assert_nothing_left
}

@test "network: after delete of 50 containers no veth or hull-made bridge remains" {
    local br=hullbr$N i
    set_cmd true
    for i in $(seq 1 50); do
        if [ $((i % 2)) = 0 ]; then
            hull create -b "$BUNDLE" --network "veth,address=10.199.$N.$i/31" "${ID_PREFIX}m$i"
        else
            hull create -b "$BUNDLE" --network "bridge=$br,address=10.199.$N.$((i + 100))/24,host-address=10.199.$N.1/24" "${ID_PREFIX}m$i"
        fi
    done
    [ "$(ns_hull_links | wc -l)" = 51 ]
    [ "$(ip -n "$TESTNS" -o link show master "$br" | wc -l)" = 25 ]
    for i in $(seq 1 50); do
        # half started (their `true` exits: stopped, plain delete), half still created (--force)
        if [ $((i % 4)) -lt 2 ]; then
            hull start "${ID_PREFIX}m$i"
            wait_for status_is "${ID_PREFIX}m$i" stopped
            hull delete "${ID_PREFIX}m$i"
        else
            hull delete --force "${ID_PREFIX}m$i"
        fi
    done
    [ -z "$(ns_hull_links)" ]
    [ -z "$(ip -n "$TESTNS" -o link show type veth)" ]
    [ -z "$(ls "$ROOT")" ]
}

@test "network: a request without a new network namespace is an error naming it" {
    annotate "" veth address "10.199.$N.2/24"
    update_config '.linux.namespaces |= map(select(.type != "network"))'
    run_hull create -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ $output == *"run.hull.network: needs a new network namespace"* ]]
    # a joined one is not new either
    update_config '.linux.namespaces += [{"type": "network", "path": $p}]' --arg p "/run/netns/$TESTNS"
    run_hull create -b "$BUNDLE" --network veth "$CID"
    [ "$status" -ne 0 ]
    [[ $output == *"--network: needs a new network namespace"* ]]
    assert_nothing_left
}

@test "network: bad requests are errors naming the annotation or the --network item, and make nothing" {
    check_bad() {
        run_hull create -b "$BUNDLE" "$@" "$CID"
        [ "$status" -ne 0 ]
        [[ $output == *"$WANT"* ]]
        [ -z "$(ns_hull_links)" ]
        assert_nothing_left
    }
    annotate "" veth address "10.0.0.300/24"
    WANT='run.hull.network.address: "10.0.0.300/24": invalid CIDR' check_bad
    annotate address "10.199.$N.2/24" mtu 9x
    WANT='run.hull.network.mtu: "9x": expected an MTU from 68 to 65535' check_bad
    update_config 'del(.annotations["run.hull.network.mtu"])'
    annotate gateway "fd00::1"
    WANT='run.hull.network.gateway: fd00::1: no run.hull.network.address address of that family' check_bad
    update_config 'del(.annotations["run.hull.network.gateway"])'
    annotate colour blue
    WANT='run.hull.network.colour: unknown network setting' check_bad
    update_config 'del(.annotations["run.hull.network.colour"])'
    annotate "" wifi
    WANT='run.hull.network: "wifi": expected veth, bridge=NAME or none' check_bad
    update_config 'del(.annotations["run.hull.network"])'
    WANT='run.hull.network.address: no network is asked for' check_bad
    WANT='--network mac: "02:00:00:00:00:0g": expected a MAC address' check_bad --network veth,mac=02:00:00:00:00:0g
    WANT='--network ifname: "lo": invalid interface name' check_bad --network veth,ifname=lo
}

# hull_root2 ARGS...: hull with a second state root ($ROOT2, made and cleaned up here).
hull_root2() {
    ROOT=$ROOT2 hull "$@"
}

use_root2() {
    ROOT2=$TEST_DIR/root2
    mkdir -p "$ROOT2"
    on_teardown 'for id in $(hull_root2 list -q 2>/dev/null); do hull_root2 delete --force "$id"; done'
}

@test "network: an address in use on the bridge under another --root, or by another tool's device, is refused naming the port" {
    local br=hullbr$N other=${TESTNS}o
    use_root2
    start_sleeping "${ID_PREFIX}a" --network "bridge=$br,address=10.199.$N.2/24,host-address=10.199.$N.1/24"
    ROOT=$ROOT2 run_hull create -b "$BUNDLE" --network "bridge=$br,address=10.199.$N.2/24,host-address=10.199.$N.1/24" "${ID_PREFIX}b"
    [ "$status" -ne 0 ]
    [[ $output == *"--network address: 10.199.$N.2 is in use on bridge $br by the device behind port $(host_ifname "${ID_PREFIX}a")"* ]]
    [ -z "$(hull_root2 list -q)" ]
    # a veth pair made by hand, its peer in a namespace of its own, a port of the same bridge
    ip netns add "$other"
    on_teardown "ip netns del $other"
    ip -n "$TESTNS" link add op$N type veth peer name oq$N netns "$other"
    ip -n "$other" addr add "10.199.$N.5/24" dev oq$N
    ip -n "$TESTNS" link set op$N master "$br" up
    run_hull create -b "$BUNDLE" --network "bridge=$br,address=10.199.$N.3/24,10.199.$N.5/24" "${ID_PREFIX}c"
    [ "$status" -ne 0 ]
    [[ $output == *"--network address: 10.199.$N.5 is in use on bridge $br by the device behind port op$N"* ]]
    # the other root gets a free address on the same bridge
    ROOT=$ROOT2 run_hull run -d -b "$BUNDLE" --network "bridge=$br,address=10.199.$N.3/24" "${ID_PREFIX}b"
    [ "$status" -eq 0 ]
    run_hull exec "${ID_PREFIX}a" ping -c1 -W3 "10.199.$N.3"
    [ "$status" -eq 0 ]
    ip -n "$TESTNS" link del op$N
    hull_root2 delete --force "${ID_PREFIX}b"
    run_hull delete --force "${ID_PREFIX}a"
    [ "$status" -eq 0 ]
    link_gone "$br"
}

@test "network: hulls of two --root values churn one hull-made bridge at once: every create and delete succeeds (one lock per network namespace)" {
    local br=hullbr$N
    use_root2
    set_cmd true
    # each `run` finds the bridge or makes it, adds its port, and on exit removes the port and,
    # being the last, the bridge: the two roots race for it unless one lock serves both
    churn() {
        local k
        for k in $(seq 1 40); do
            ROOT=$1 hull run -b "$BUNDLE" --network "bridge=$br,address=10.199.$N.$(($2 + k))/24,host-address=10.199.$N.1/24" \
                "${ID_PREFIX}r$2" || { echo "run $k under $1 failed"; return 1; }
        done
    }
    churn "$ROOT" 100 > "$TEST_DIR/churn1.log" 2>&1 &
    local p1=$!
    churn "$ROOT2" 200 > "$TEST_DIR/churn2.log" 2>&1 &
    local p2=$! rc=0
    wait $p1 || rc=1
    wait $p2 || rc=1
    cat "$TEST_DIR/churn1.log" "$TEST_DIR/churn2.log"
    [ $rc -eq 0 ]
    link_gone "$br"
    [ -z "$(ns_hull_links)" ]
}
