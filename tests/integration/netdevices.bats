#!/usr/bin/env bats
# linux.netDevices (config-linux.md, "Network Devices"): hull moves named devices of its network
# namespace into the container's, renames them (`name`, "%d" too), keeps their permanent addresses
# of global scope and brings them up.  On delete it does not move them out: when the container's
# network namespace goes away the kernel destroys virtual devices and moves physical ones back to
# the initial network namespace.
#
# Every test runs hull in a network namespace of its own ($TESTNS, network_helpers.bash).  The
# devices moved:
# - a real `dummy` device where the kernel can make one (the cgroup v2 VM, tests/cgroup2/run-vm.sh);
#   where it cannot (this host's kernel has no dummy module) a veth end stands in for it;
# - a physical NIC only when HULL_TEST_PHYS_NETDEV names one (otherwise that test is skipped):
#   run-vm.sh gives the VM a virtio NIC on a QEMU hub with no other port (vm-run.sh --nic) and
#   passes "auto": the one device of the initial namespace that is not lo, has no link kind and
#   has a parent device.  The test takes it only if it is down and has no global address, and puts
#   it back (name, namespace, down) whatever happens.

load helpers
load network_helpers

setup() {
    network_setup
}

teardown() {
    local rc=0
    network_teardown || rc=1
    if [ -n "${PHYS_MAC:-}" ]; then
        phys_restore || rc=1
    fi
    return $rc
}

# mac_in NETNS MAC: the name of the link with address MAC in NETNS ("": bats' own); fails if none.
mac_in() {
    local n=()
    [ -z "$1" ] || n=(-n "$1")
    ip "${n[@]}" -j link show | jq -er --arg m "$2" 'first(.[] | select(.address == $m) | .ifname)'
}

# mac_gone_from NETNS MAC: no link with address MAC in NETNS.
mac_gone_from() {
    ! mac_in "$1" "$2" > /dev/null 2>&1 || false
}

# is_up TEXT: `ip link` / `ip addr` output whose flags have UP.
is_up() {
    [[ $1 =~ \<([A-Z_]+,)*UP[,\>] ]]
}

# moved_in NAME MAC: the device is in the container as NAME, with MAC, 10.199.$N.2/24 and
# fd00:199:$N::2/64, and UP.
moved_in() {
    run_hull exec "$CID" sh -c "ip addr show $1 && cat /sys/class/net/$1/address"
    [ "$status" -eq 0 ]
    [[ $output == *"inet 10.199.$N.2/24"* ]]
    [[ $output == *"inet6 fd00:199:$N::2/64"* ]]
    is_up "$output"
    [ "${lines[-1]}" = "$2" ]
}

# refused JQ-FILTER MESSAGE: with config.json changed by JQ-FILTER (in which $a is nd$N), create
# fails with MESSAGE.
refused() {
    update_config "$1" --arg a "nd$N"
    run_hull create -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ]
    [[ $output == *"$2"* ]]
}

# ---- the physical device (HULL_TEST_PHYS_NETDEV) ----

# phys_candidates: the devices of bats' namespace that are not lo, have no link kind (no
# rtnl_link_ops: not veth, dummy, bridge, ...) and have a parent device (/sys/class/net/X/device).
phys_candidates() {
    local d
    for d in $(ip -d -j link show | jq -r '.[] | select(.ifname != "lo" and ((.linkinfo.info_kind // "") == "")) | .ifname'); do
        [ -e "/sys/class/net/$d/device" ] && echo "$d"
    done
    return 0
}

# phys_take: $PHYS (HULL_TEST_PHYS_NETDEV, "auto" resolved) checked and moved into $TESTNS;
# $PHYS_MAC set just before the move, for phys_restore.  Skips without HULL_TEST_PHYS_NETDEV.
phys_take() {
    local dev=${HULL_TEST_PHYS_NETDEV:-} c=() info
    [ -n "$dev" ] || skip "no physical network device to move: HULL_TEST_PHYS_NETDEV unset (tests/cgroup2/run-vm.sh sets it for the VM's NIC)"
    # the kernel returns the device to the initial namespace: the test must run there to see it
    if [ "$(readlink /proc/self/ns/net)" != "$(readlink /proc/1/ns/net)" ]; then
        echo "HULL_TEST_PHYS_NETDEV: the test must run in the initial network namespace" >&2
        return 1
    fi
    if [ "$dev" = auto ]; then
        mapfile -t c < <(phys_candidates)
        if [ ${#c[@]} != 1 ]; then
            echo "HULL_TEST_PHYS_NETDEV=auto: want exactly one device that is not lo, has no link kind and has a parent device; found: ${c[*]:-none}" >&2
            return 1
        fi
        dev=${c[0]}
    fi
    info=$(ip -d -j link show "$dev") || { echo "HULL_TEST_PHYS_NETDEV=$dev: no such device here" >&2; return 1; }
    if [ "$(jq -r '.[0].linkinfo.info_kind // ""' <<< "$info")" != "" ]; then
        echo "HULL_TEST_PHYS_NETDEV=$dev: a virtual device ($(jq -r '.[0].linkinfo.info_kind' <<< "$info")), not a physical one" >&2
        return 1
    fi
    # never take a device in use (a host's uplink): it must be down, without a global address
    if jq -e '.[0].flags | index("UP")' <<< "$info" > /dev/null \
        || [ -n "$(ip -j addr show dev "$dev" | jq -r '.[0].addr_info[] | select(.scope == "global") | .local')" ]; then
        echo "HULL_TEST_PHYS_NETDEV=$dev: up or with a global address, i.e. in use: not taken" >&2
        return 1
    fi
    PHYS=$dev
    PHYS_MAC=$(jq -r '.[0].address' <<< "$info")
    echo "# linux.netDevices physical device: $PHYS ($PHYS_MAC, $(readlink "/sys/class/net/$PHYS/device"))" >&3
    ip link set "$PHYS" netns "$TESTNS"
}

# phys_restore: the device back in bats' (the initial) namespace under its first name, down,
# without addresses, wherever the test left it: in $TESTNS or a container's namespace, it comes
# back when that namespace goes (network_teardown deleted both; the kernel does it asynchronously).
phys_restore() {
    local name
    if ! name=$(wait_for mac_in "" "$PHYS_MAC" 2> /dev/null); then
        echo "teardown: the physical device $PHYS ($PHYS_MAC) did not come back to the initial namespace" >&2
        ip -o link >&2
        return 1
    fi
    ip link set "$name" down
    if [ "$name" != "$PHYS" ]; then
        ip link set "$name" name "$PHYS" || return 1
    fi
    ip addr flush dev "$PHYS"
}

# ---- tests ----

@test "netdevices: a dummy device (a veth end where the kernel has no dummy) moves in, renamed, with its IPv4 and IPv6 addresses, up; destroyed with the container" {
    local kind mac
    if ip -n "$TESTNS" link add nd$N type dummy 2> /dev/null; then
        kind=dummy
    else
        # no dummy module (this host): a veth end, its peer left in $TESTNS to be pinged
        kind=veth
        ip -n "$TESTNS" link add nd$N type veth peer name ndp$N
        ip -n "$TESTNS" addr add "10.199.$N.1/24" dev ndp$N
        ip -n "$TESTNS" link set ndp$N up
    fi
    echo "# linux.netDevices test device: $kind" >&3
    [ "$(ip -n "$TESTNS" -d -j link show nd$N | jq -r '.[0].linkinfo.info_kind')" = $kind ]
    mac=$(ip -n "$TESTNS" -j link show nd$N | jq -r '.[0].address')
    ip -n "$TESTNS" addr add "10.199.$N.2/24" dev nd$N
    ip -n "$TESTNS" addr add "fd00:199:$N::2/64" dev nd$N nodad
    update_config '.linux.netDevices = {($d): {"name": "ext0"}}' --arg d "nd$N"
    start_sleeping "$CID"
    # moved: gone from $TESTNS, in the container as ext0 (the same device: its MAC)
    link_gone nd$N
    mac_gone_from "$TESTNS" "$mac"
    moved_in ext0 "$mac"
    run_hull exec "$CID" ls /sys/class/net
    [ "$(echo $output)" = "ext0 lo" ]
    if [ $kind = veth ]; then
        run_hull exec "$CID" ping -c1 -W3 "10.199.$N.1"
        [ "$status" -eq 0 ]
    fi
    run_hull delete --force "$CID"
    [ "$status" -eq 0 ]
    # config-linux.md: hull does not move it out; when the namespace dies the kernel destroys a
    # virtual device: it is nowhere, neither in $TESTNS nor in bats' namespace (the veth's peer
    # goes with it)
    wait_for mac_gone_from "$TESTNS" "$mac"
    link_gone nd$N
    link_gone ext0
    link_gone ndp$N
    mac_gone_from "" "$mac"
}

@test "netdevices: a %d name, the device's own name" {
    ip -n "$TESTNS" link add nd$N type veth peer name ndp$N
    ip -n "$TESTNS" link add ne$N type veth peer name nep$N
    ip -n "$TESTNS" addr add "10.199.$N.2/24" dev ne$N
    update_config '.linux.netDevices = {($a): {"name": "ext%d"}, ($b): {}}' --arg a "nd$N" --arg b "ne$N"
    set_cmd 'ls /sys/class/net; ip -4 addr show ne'$N' | grep -o "inet [0-9./]*"'
    run_hull run -b "$BUNDLE" "$CID"
    [ "$status" -eq 0 ]
    [ "$(echo $(head -n3 <<< "$output"))" = "ext0 lo ne$N" ]
    [ "${lines[3]}" = "inet 10.199.$N.2/24" ]
}

@test "netdevices: errors; a failed create moves what it moved back, with its addresses" {
    ip -n "$TESTNS" link add nd$N type veth peer name ndp$N
    ip -n "$TESTNS" addr add "10.199.$N.2/24" dev nd$N
    ip -n "$TESTNS" link set nd$N up
    # the second device is missing: the first, moved already, comes back
    refused '.linux.netDevices = {($a): {"name": "ext0"}, "nosuch0": {}}' \
        "linux.netDevices.nosuch0: no device nosuch0 here"
    ip -n "$TESTNS" addr show nd$N | grep -q "inet 10.199.$N.2/24"
    assert_nothing_left
    refused '.linux.netDevices = {($a): {"name": "lo"}}' "linux.netDevices.nd$N: the container has a device lo already"
    link_exists nd$N
    refused '.linux.netDevices = {($a): {}} | .linux.namespaces |= map(select(.type != "network"))' \
        "linux.netDevices: the container has no network namespace of its own"
    ip -n "$TESTNS" addr show nd$N | grep -q "inet 10.199.$N.2/24"
    assert_nothing_left
}

@test "netdevices: a physical device (HULL_TEST_PHYS_NETDEV) moves in, renamed, with its addresses, up; after delete the kernel puts it back in the initial namespace, not hull" {
    local name
    phys_take
    ip -n "$TESTNS" addr add "10.199.$N.2/24" dev "$PHYS"
    ip -n "$TESTNS" addr add "fd00:199:$N::2/64" dev "$PHYS" nodad
    update_config '.linux.netDevices = {($d): {"name": $n}}' --arg d "$PHYS" --arg n "phys$N"
    start_sleeping "$CID"
    link_gone "$PHYS"
    mac_gone_from "$TESTNS" "$PHYS_MAC"
    mac_gone_from "" "$PHYS_MAC"
    moved_in "phys$N" "$PHYS_MAC"
    # delete a stopped container
    run_hull kill "$CID" KILL
    [ "$status" -eq 0 ]
    wait_for status_is "$CID" stopped
    run_hull delete "$CID"
    [ "$status" -eq 0 ]
    # hull does not move it out (it would go to hull's namespace, $TESTNS): the kernel moves it
    # to the initial namespace when the container's goes, under the name it has then (the
    # container's: "dev<ifindex>" only if that were taken here), down, without its addresses
    name=$(wait_for mac_in "" "$PHYS_MAC")
    [ "$name" = "phys$N" ]
    mac_gone_from "$TESTNS" "$PHYS_MAC"
    link_gone "$PHYS"
    link_gone "phys$N"
    run ip addr show dev "$name"
    [ "$status" -eq 0 ]
    ! is_up "$output" || false
    [[ $output != *"10.199.$N.2"* ]]
    # its first name back (phys_restore in the teardown does it too, on failure)
    ip link set "$name" name "$PHYS"
    ip link show "$PHYS"
}
