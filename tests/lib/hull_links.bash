# tests/lib/hull_links.bash: what hull's networking leaves in a network namespace, for the
# leftover checks of tests/integration/network*.bats and tests/e2e/containerd.bats.

# hull_links_in NETNS: the veth host ends (hv*) and the hull-made bridges (alias hull:created) in
# NETNS ("": the caller's own namespace), one name a line.
hull_links_in() {
    local n=() br
    [ -z "$1" ] || n=(-n "$1")
    ip "${n[@]}" -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep '^hv' || true
    for br in $(ip "${n[@]}" -o link show type bridge | awk -F': ' '{ print $2 }'); do
        ip "${n[@]}" -d link show "$br" | grep -q 'alias hull:created' && echo "$br"
    done
    return 0
}
