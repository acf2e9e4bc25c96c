/* network/ internals: the rtnetlink operations the veth setup and linux.netDevices are made of,
 * each one request acknowledged by the kernel (nl.h), each error naming the device and the
 * operation: "create veth hv0123456789ab (peer eth0): File exists". */
#ifndef HULL_NETWORK_RTNL_H
#define HULL_NETWORK_RTNL_H

#include <net/if.h>
#include <stdbool.h>

#include "nl.h"
#include "request.h"

struct nl_link {
    int index;
    char name[IFNAMSIZ];
    char kind[32];   /* IFLA_INFO_KIND: "veth", "bridge", ... ("" for a physical device) */
    char alias[64];  /* IFLA_IFALIAS */
    int master;      /* IFLA_MASTER: the bridge it is a port of (0: none) */
    unsigned flags;  /* IFF_* */
    unsigned char operstate; /* IFLA_OPERSTATE: IF_OPER_UP once the kernel's linkwatch has run */
    int link;        /* IFLA_LINK: a veth's peer's index (in link_netnsid's namespace when >= 0) */
    int link_netnsid; /* IFLA_LINK_NETNSID: the peer's namespace as this one numbers it; -1: none */
};

/* A link by name: 0 and *out when found, 1 when there is none (no error set), < 0 on error. */
int nl_link_find(struct nl_conn *c, const char *name, struct nl_link *out, struct error **err);
/* Every link of c's namespace. */
typedef void (*nl_link_fn)(const struct nl_link *l, void *data);
int nl_link_list(struct nl_conn *c, nl_link_fn fn, void *data, struct error **err);

int nl_link_up(struct nl_conn *c, int index, const char *name, struct error **err);
/* Wait (up to 5 s) until the link is operationally up.  A veth end that gets its carrier when
 * its peer comes up is only activated (its qdisc attached: until then it drops what it sends)
 * and marked up by the kernel's linkwatch work, a moment later. */
int nl_link_wait_running(struct nl_conn *c, const char *name, struct error **err);
/* Delete a link; one that is already gone (ENODEV) is fine (returns 1). */
int nl_link_del(struct nl_conn *c, int index, const char *name, struct error **err);
/* Move a link into the network namespace netns_fd, named new_name there (NULL: its name). */
int nl_link_move(struct nl_conn *c, int index, const char *name, int netns_fd, const char *new_name,
                 struct error **err);

/* A veth pair: `host` here, up (and a port of bridge `master` unless 0), `peer` created
 * directly in netns_fd, down; mtu (0: default) on both ends, mac (NULL: random) on the peer. */
int nl_veth_create(struct nl_conn *c, const char *host, const char *peer, int netns_fd, unsigned mtu,
                   const unsigned char *mac, int master, const char *master_name, struct error **err);
/* A bridge, its IFLA_IFALIAS set to alias. */
int nl_bridge_create(struct nl_conn *c, const char *name, const char *alias, struct error **err);

/* An address as the kernel lists it (RTM_GETADDR). */
struct nl_addr {
    int index;
    struct net_addr a;     /* IFA_LOCAL (IFA_ADDRESS when there is none) and the prefix */
    bool has_peer;         /* IFA_ADDRESS differs from IFA_LOCAL (point-to-point) */
    unsigned char peer[16];
    bool has_brd;
    unsigned char brd[4];
    unsigned flags;        /* IFA_FLAGS (or ifa_flags) */
    unsigned char scope;
};
/* The addresses of one link (index) or of all (index 0). */
int nl_addr_list(struct nl_conn *c, int index, struct nl_addr **out, size_t *n, struct error **err);
/* The same in another network namespace, by the id c's namespace has for it (IFLA_LINK_NETNSID). */
int nl_addr_list_in(struct nl_conn *c, int netnsid, int index, struct nl_addr **out, size_t *n, struct error **err);
/* Add a (IPv6: IFA_F_NODAD, usable at once; IPv4: with its broadcast address). */
int nl_addr_add(struct nl_conn *c, int index, const char *ifname, const struct net_addr *a, struct error **err);
/* Add an address listed by nl_addr_list back (after a move between namespaces). */
int nl_addr_restore(struct nl_conn *c, int index, const char *ifname, const struct nl_addr *a, struct error **err);

/* The default route of gw's family via gw on link index. */
int nl_route_default(struct nl_conn *c, int index, const char *ifname, const struct net_addr *gw,
                     struct error **err);

/* The connections of network.h's net_ctx. */
struct net_ctx {
    struct nl_conn *host; /* hull's network namespace */
    struct nl_conn *ctr;  /* the container's */
    int netns_fd;         /* the container's (the caller's descriptor) */
    int self_fd;          /* hull's */
};

/* An rtnetlink connection inside the network namespace netns_fd (setns there, open, setns back). */
int nl_open_netns(int netns_fd, struct nl_conn **out, struct error **err);

#endif
