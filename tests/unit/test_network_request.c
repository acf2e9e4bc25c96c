/* network/request.c: the run.hull.network* annotations and --network, every field and every kind
 * of bad value (each error names the annotation or the --network item); the host end's name; the
 * state's network record. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <yajl/yajl_tree.h>

#include "../../base/util.h"
#include "../../network/network.h"
#include "../../network/request.h"
#include "../../oci/oci.h"
#include "tap.h"

#define MAXKV 12

/* parse("key", "value", ..., NULL) with option NULL; the request stays in *r on success. */
static int parse_kv(struct net_request *r, const char *option, char *msg, size_t msglen, const char *const *kv) {
    struct oci_key_value a[MAXKV];
    size_t n = 0;
    for (; kv[2 * n]; n++) {
        a[n].key = (char *)kv[2 * n];
        a[n].value = (char *)kv[2 * n + 1];
    }
    struct error *e = NULL;
    int ret = net_request_parse(a, n, option, r, &e);
    snprintf(msg, msglen, "%s", e ? e->msg : "");
    error_free(e);
    return ret;
}

#define PARSE(r, option, msg, ...) parse_kv(r, option, msg, sizeof(msg), (const char *const[]){__VA_ARGS__, NULL, NULL})

static const char *fmt(const struct net_addr *a, char *buf) { return net_addr_format(a, true, buf); }

/* A bad annotation value: an error whose text is exactly `want`. */
static void bad(const char *key, const char *value, const char *want) {
    struct net_request r;
    char msg[256];
    int ret = PARSE(&r, NULL, msg, "run.hull.network", "veth", key, value);
    ok(ret == -EINVAL && !strcmp(msg, want), "%s=\"%s\": %s", key, value, msg);
}

static void bad_option(const char *option, const char *want) {
    struct net_request r;
    char msg[256];
    int ret = PARSE(&r, option, msg, "run.hull.network", "veth");
    ok(ret == -EINVAL && !strcmp(msg, want), "--network %s: %s", option, msg);
}

static void annotations(void) {
    struct net_request r;
    char msg[256], b[NET_ADDR_STRLEN], b2[NET_ADDR_STRLEN];

    int ret = PARSE(&r, NULL, msg, "org.example", "x");
    ok(ret == 0 && r.mode == NET_MODE_NONE, "no annotation: no network (%s)", msg);

    ret = PARSE(&r, NULL, msg, "run.hull.network", "veth");
    ok(ret == 0 && r.mode == NET_MODE_VETH && !strcmp(r.ifname, "eth0") && !r.n_addresses && !r.mtu && !r.has_mac,
       "veth alone: eth0, no address, default MTU and MAC (%s)", msg);
    net_request_free(&r);

    ret = PARSE(&r, NULL, msg, "run.hull.network", "veth", "run.hull.network.address", "10.199.0.2/24, fd00:199::2/64",
                "run.hull.network.gateway", "10.199.0.1,fd00:199::1", "run.hull.network.host-address", "10.199.0.1/24",
                "run.hull.network.ifname", "net1", "run.hull.network.mtu", "1400", "run.hull.network.mac",
                "02:AA:bb:00:00:01", "run.hull.network.host-ifname", "ignored");
    ok(ret == 0, "every annotation (%s)", msg);
    ok(r.mode == NET_MODE_VETH && r.n_addresses == 2 && r.addresses[0].family == AF_INET &&
           !strcmp(fmt(&r.addresses[0], b), "10.199.0.2/24") && r.addresses[1].family == AF_INET6 &&
           !strcmp(fmt(&r.addresses[1], b2), "fd00:199::2/64"),
       "address: a comma list of IPv4 and IPv6 CIDRs, spaces trimmed (%s, %s)", b, b2);
    ok(r.n_gateways == 2 && !strcmp(net_addr_format(&r.gateways[0], false, b), "10.199.0.1") &&
           !strcmp(net_addr_format(&r.gateways[1], false, b2), "fd00:199::1"),
       "gateway: one per family (%s, %s)", b, b2);
    ok(r.n_host_addresses == 1 && !strcmp(fmt(&r.host_addresses[0], b), "10.199.0.1/24"), "host-address %s", b);
    ok(!strcmp(r.ifname, "net1") && r.mtu == 1400, "ifname net1, mtu 1400");
    static const unsigned char mac[6] = {0x02, 0xaa, 0xbb, 0, 0, 1};
    ok(r.has_mac && !memcmp(r.mac, mac, 6), "mac, in either case");
    net_request_free(&r);

    ret = PARSE(&r, NULL, msg, "run.hull.network", "bridge=hullbr0", "run.hull.network.address", "10.199.0.2/24");
    ok(ret == 0 && r.mode == NET_MODE_BRIDGE && !strcmp(r.bridge, "hullbr0"), "bridge=NAME (%s)", msg);
    net_request_free(&r);

    ret = PARSE(&r, NULL, msg, "run.hull.network", "none", "run.hull.network.address", "10.199.0.2/24");
    ok(ret == 0 && r.mode == NET_MODE_NONE, "none: off, the other annotations unused (%s)", msg);
    net_request_free(&r);
}

static void annotation_errors(void) {
    bad("run.hull.network.address", "10.0.0.300/24", "run.hull.network.address: \"10.0.0.300/24\": invalid CIDR");
    bad("run.hull.network.address", "10.0.0.2", "run.hull.network.address: \"10.0.0.2\": invalid CIDR");
    bad("run.hull.network.address", "10.0.0.2/33", "run.hull.network.address: \"10.0.0.2/33\": invalid CIDR");
    bad("run.hull.network.address", "fd00::2/129", "run.hull.network.address: \"fd00::2/129\": invalid CIDR");
    bad("run.hull.network.address", "10.0.0.2/+24", "run.hull.network.address: \"10.0.0.2/+24\": invalid CIDR");
    bad("run.hull.network.address", "10.0.0.2/24,,", "run.hull.network.address: \"\": invalid CIDR");
    bad("run.hull.network.address", "", "run.hull.network.address: empty");
    bad("run.hull.network.host-address", "host", "run.hull.network.host-address: \"host\": invalid CIDR");
    bad("run.hull.network.gateway", "10.0.0.1/24", "run.hull.network.gateway: \"10.0.0.1/24\": invalid IP address");
    bad("run.hull.network.gateway", "10.0.0.1",
        "run.hull.network.gateway: 10.0.0.1: no run.hull.network.address address of that family to reach it from");
    bad("run.hull.network.ifname", "lo", "run.hull.network.ifname: \"lo\": invalid interface name");
    bad("run.hull.network.ifname", "a-name-too-long0", "run.hull.network.ifname: \"a-name-too-long0\": invalid interface name");
    bad("run.hull.network.ifname", "eth/0", "run.hull.network.ifname: \"eth/0\": invalid interface name");
    bad("run.hull.network.mtu", "67", "run.hull.network.mtu: \"67\": expected an MTU from 68 to 65535");
    bad("run.hull.network.mtu", "65536", "run.hull.network.mtu: \"65536\": expected an MTU from 68 to 65535");
    bad("run.hull.network.mtu", "1500b", "run.hull.network.mtu: \"1500b\": expected an MTU from 68 to 65535");
    bad("run.hull.network.mac", "02:00:00:00:00", "run.hull.network.mac: \"02:00:00:00:00\": expected a MAC address like 02:00:00:00:00:01");
    bad("run.hull.network.mac", "01:00:5e:00:00:01", "run.hull.network.mac: \"01:00:5e:00:00:01\": a multicast address");
    bad("run.hull.network.mac", "00:00:00:00:00:00", "run.hull.network.mac: \"00:00:00:00:00:00\": the all-zero address");
    bad("run.hull.network.color", "blue",
        "run.hull.network.color: unknown network setting (known: address, gateway, host-address, ifname, mtu, mac)");

    struct net_request r;
    char msg[256];
    int ret = PARSE(&r, NULL, msg, "run.hull.network", "wifi");
    ok(ret == -EINVAL && !strcmp(msg, "run.hull.network: \"wifi\": expected veth, bridge=NAME or none"), "%s", msg);
    ret = PARSE(&r, NULL, msg, "run.hull.network", "bridge=");
    ok(ret == -EINVAL && !strcmp(msg, "run.hull.network: \"\": invalid bridge name"), "%s", msg);
    ret = PARSE(&r, NULL, msg, "run.hull.network.address", "10.0.0.2/24");
    ok(ret == -EINVAL && !strcmp(msg, "run.hull.network.address: no network is asked for (run.hull.network is veth "
                                      "or bridge=NAME)"),
       "a setting without run.hull.network: %s", msg);
    ret = PARSE(&r, NULL, msg, "run.hull.network", "veth", "run.hull.network.address", "10.0.0.2/24,10.0.0.3/24",
                "run.hull.network.gateway", "10.0.0.1,10.0.0.4");
    ok(ret == -EINVAL && !strcmp(msg, "run.hull.network.gateway: more than one IPv4 gateway"), "%s", msg);
    ret = PARSE(&r, NULL, msg, "run.hull.network", "veth", "run.hull.network.address", "10.0.0.2/24",
                "run.hull.network.gateway", "10.0.0.2");
    ok(ret == -EINVAL && !strcmp(msg, "run.hull.network.gateway: 10.0.0.2 is the container's own address"), "%s", msg);
    ret = PARSE(&r, NULL, msg, "run.hull.network", "veth", "run.hull.network.address", "10.0.0.2/24",
                "run.hull.network.host-address", "10.0.0.2/24");
    ok(ret == -EINVAL && !strcmp(msg, "run.hull.network.host-address: 10.0.0.2 is also the container's address"),
       "%s", msg);
    ret = PARSE(&r, NULL, msg, "run.hull.network", "veth", "run.hull.network.address", "10.0.0.2/24,10.0.0.2/16");
    ok(ret == -EINVAL && !strcmp(msg, "run.hull.network.address: 10.0.0.2 is given twice"), "%s", msg);
    ret = PARSE(&r, NULL, msg, "run.hull.network", "veth", "run.hull.network.address", "fd00::2/64",
                "run.hull.network.mtu", "1000");
    ok(ret == -EINVAL && !strcmp(msg, "run.hull.network.mtu: 1000: IPv6 needs an MTU of at least 1280"), "%s", msg);
}

static void option(void) {
    struct net_request r;
    char msg[256], b[NET_ADDR_STRLEN];
    int ret = PARSE(&r, "veth,address=10.199.1.2/24,fd00:199::2/64,gateway=10.199.1.1,host-address=10.199.1.1/24,"
                        "mtu=1280,mac=02:00:00:00:00:09,ifname=e1",
                    msg, "run.hull.network", "bridge=br9", "run.hull.network.address", "10.9.9.9/24");
    ok(ret == 0 && r.mode == NET_MODE_VETH && r.n_addresses == 2 && !strcmp(fmt(&r.addresses[0], b), "10.199.1.2/24") &&
           r.n_gateways == 1 && r.n_host_addresses == 1 && r.mtu == 1280 && r.has_mac && !strcmp(r.ifname, "e1"),
       "--network replaces the annotations; a bare item adds to the list before it (%s)", msg);
    net_request_free(&r);
    ret = PARSE(&r, "bridge=br1,address=10.199.2.2/24,address=10.199.3.2/24", msg, "x", "y");
    ok(ret == 0 && r.mode == NET_MODE_BRIDGE && !strcmp(r.bridge, "br1") && r.n_addresses == 2,
       "--network bridge=NAME, a list field given twice adds (%s)", msg);
    net_request_free(&r);
    ret = PARSE(&r, "none", msg, "run.hull.network", "veth");
    ok(ret == 0 && r.mode == NET_MODE_NONE, "--network none turns the annotations' network off");
    net_request_free(&r);

    bad_option("veth,address=10.0.0.300/24", "--network address: \"10.0.0.300/24\": invalid CIDR");
    bad_option("veth,mtu=big", "--network mtu: \"big\": expected an MTU from 68 to 65535");
    bad_option("veth,colour=1", "--network colour: unknown network setting (known: address, gateway, host-address, "
                                "ifname, mtu, mac)");
    bad_option("veth,10.0.0.2/24", "--network: \"10.0.0.2/24\": expected veth, bridge=NAME, none or KEY=VALUE");
    bad_option("veth,bridge=br0", "--network: the network is given twice (\"bridge=br0\")");
    bad_option("", "--network: empty");
    bad_option("veth,,mtu=1400", "--network \"veth,,mtu=1400\": an empty item");
    bad_option("address=10.0.0.2/24", "--network address: no network is asked for (--network is veth or bridge=NAME)");
    bad_option("veth,=x", "--network: \"=x\": an item without a name");
}

static void names_and_records(void) {
    char a[IFNAMSIZ], b[IFNAMSIZ], c[IFNAMSIZ];
    net_host_ifname("c1", a);
    net_host_ifname("c2", b);
    net_host_ifname("c1", c);
    ok(strlen(a) == 14 && !strncmp(a, "hv", 2) && strspn(a + 2, "0123456789abcdef") == 12,
       "host end name: hv + 12 hex digits (%s)", a);
    ok(strcmp(a, b) && !strcmp(a, c), "derived from the id: stable, different ids differ (%s, %s)", a, b);
    char long_id[1025];
    memset(long_id, 'x', 1024);
    long_id[1024] = '\0';
    net_host_ifname(long_id, c);
    ok(strlen(c) == 14, "a 1024-byte id still gives 14 bytes (%s)", c);

    struct net_record rec = {.netns = 4026531992ULL};
    snprintf(rec.host_ifname, sizeof(rec.host_ifname), "%s", a);
    snprintf(rec.bridge, sizeof(rec.bridge), "hullbr0");
    struct net_addr addrs[2];
    net_addr_parse("10.199.0.2/24", true, &addrs[0]);
    net_addr_parse("fd00:199::2/64", true, &addrs[1]);
    rec.addresses = addrs;
    rec.n_addresses = 2;
    char *text = net_record_format(&rec);
    struct net_record back;
    struct error *e = NULL;
    int ret = net_record_parse(text, &back, &e);
    ok(ret == 0 && back.netns == rec.netns && !strcmp(back.host_ifname, a) && !strcmp(back.bridge, "hullbr0") &&
           back.n_addresses == 2 && net_addr_same_ip(&back.addresses[1], &addrs[1]) && back.addresses[1].prefix == 64,
       "the network record round-trips (%zu bytes)", strlen(text));
    net_record_free(&back);
    free(text);
    ret = net_record_parse("netns 1\nhost-ifname a/b\n", &back, &e);
    ok(ret == -EIO && e && strstr(e->msg, "bad line"), "a damaged record is an error: %s", e ? e->msg : "");
    error_free(e);
}

static void features(void) {
    char *json = oci_features_json();
    yajl_val root = yajl_tree_parse(json, NULL, 0);
    const char *path[] = {"linux", "netDevices", "enabled", NULL};
    ok(root && YAJL_IS_TRUE(yajl_tree_get(root, path, yajl_t_any)), "features: linux.netDevices.enabled is true");
    yajl_tree_free(root);
    free(json);
}

int main(void) {
    annotations();
    annotation_errors();
    option();
    names_and_records();
    features();
    return tap_done();
}
