/* What network a container asks for: the run.hull.network* annotations of config.json, or
 * `--network` on create/run (a comma list that replaces the annotations as a whole).  Parsed and
 * checked before anything is made; every error names the annotation (or the --network item):
 *   run.hull.network.address: "10.0.0.300/24": invalid CIDR
 * See man/hull-network.7. */
#ifndef HULL_NETWORK_REQUEST_H
#define HULL_NETWORK_REQUEST_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "../base/error.h"
#include "../oci/spec.h"

#define NET_ANNOTATION "run.hull.network"
#define NET_ANNOTATION_HOST_IFNAME "run.hull.network.host-ifname" /* set by hull in the state */
#define NET_DEFAULT_IFNAME "eth0"

enum net_mode {
    NET_MODE_NONE,   /* no request: a new network namespace gets only lo */
    NET_MODE_VETH,   /* a veth pair; the host end stays where hull runs (point-to-point) */
    NET_MODE_BRIDGE, /* a veth pair whose host end is a port of a bridge */
};

struct net_addr {
    int family;            /* AF_INET or AF_INET6 */
    unsigned char ip[16];  /* network byte order; 4 bytes used for AF_INET */
    unsigned char prefix;  /* prefix length (CIDR); 32 / 128 for a gateway */
};

struct net_request {
    enum net_mode mode;
    char bridge[IFNAMSIZ];            /* NET_MODE_BRIDGE */
    struct net_addr *addresses;       /* the container end's */
    size_t n_addresses;
    struct net_addr *gateways;        /* at most one per family: default routes */
    size_t n_gateways;
    struct net_addr *host_addresses;  /* the host end's (veth) or the bridge's when hull creates it */
    size_t n_host_addresses;
    char ifname[IFNAMSIZ];            /* the container end's name (default eth0) */
    unsigned mtu;                     /* 0: the kernel's default */
    bool has_mac;
    unsigned char mac[6];             /* the container end's */
    bool from_option;                 /* came from --network (for messages) */
};

/* Parse the request: from `option` (--network) when not NULL, else from the annotations.  An
 * absent request gives mode NET_MODE_NONE.  Unknown run.hull.network.* annotations are errors
 * (run.hull.network.host-ifname, which hull itself sets in the state, is skipped). */
int net_request_parse(const struct oci_key_value *annotations, size_t n, const char *option,
                      struct net_request *out, struct error **err);
void net_request_free(struct net_request *r);

/* The name of a request's field for messages: "run.hull.network.mtu" or "--network mtu". */
const char *net_request_label(const struct net_request *r, const char *key, char *buf, size_t len);

/* "10.0.0.2/24" (with_prefix) or "10.0.0.2"; buf of at least NET_ADDR_STRLEN. */
#define NET_ADDR_STRLEN 64
const char *net_addr_format(const struct net_addr *a, bool with_prefix, char *buf);
/* "10.0.0.2/24" / "fd00::2/64" (needs_prefix) or a bare address (prefix = full length). */
int net_addr_parse(const char *s, bool needs_prefix, struct net_addr *out);
/* Same family and the same ip (prefixes ignored). */
bool net_addr_same_ip(const struct net_addr *a, const struct net_addr *b);
/* A valid interface name: 1..15 bytes, no '/', ':', '%' or white space, not "." or "..". */
bool net_ifname_valid(const char *s);

/* The host end's name for container `id`: "hv" + 12 hex digits of a 64-bit FNV-1a hash of the id
 * (14 bytes, within IFNAMSIZ).  Two ids may collide (2^-48): creating the pair then fails with
 * "File exists" and says so. */
void net_host_ifname(const char *id, char out[IFNAMSIZ]);

#endif
