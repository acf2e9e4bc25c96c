/* network/: a container's network, wired by hull itself through rtnetlink (libmnl), no `ip`, no
 * plugin: a veth pair (point-to-point or a bridge port) and linux.netDevices.  What is made is
 * recorded (struct net_record) so that delete can remove it even after hull or the container died.
 *
 *   struct net_ctx *ctx;                       // hull's namespace + the container's (by fd)
 *   net_ctx_open(netns_fd, &ctx, err);
 *   net_device_move(ctx, "eth5", "ext0", label, &moved, err);   // linux.netDevices
 *   net_veth_setup(ctx, &req, host_ifname, &rec, save, owner, data, err);
 *   net_ctx_close(ctx);
 *   ... later, from the record:  net_teardown(&rec, err);
 */
#ifndef HULL_NETWORK_NETWORK_H
#define HULL_NETWORK_NETWORK_H

#include <net/if.h>
#include <stddef.h>

#include "../base/error.h"
#include "request.h"

/* IFLA_IFALIAS of a bridge hull created: only such a bridge is ever deleted, and only once it has
 * no port left. */
#define NET_BRIDGE_ALIAS "hull:created"

struct net_ctx;
/* Connections in hull's network namespace and in netns_fd's (which the caller keeps open). */
int net_ctx_open(int netns_fd, struct net_ctx **out, struct error **err);
void net_ctx_close(struct net_ctx *ctx);

/* The "network" file of a container's state directory. */
struct net_record {
    unsigned long long netns;   /* inode of the network namespace the host end lives in */
    char host_ifname[IFNAMSIZ]; /* the veth pair's host end; "" until made */
    char bridge[IFNAMSIZ];      /* the bridge it is a port of; "" for point-to-point */
    struct net_addr *addresses; /* the container end's, as asked (for the record) */
    size_t n_addresses;
};
char *net_record_format(const struct net_record *r);
int net_record_parse(const char *text, struct net_record *r, struct error **err);
void net_record_free(struct net_record *r);
/* The inode of the caller's network namespace (0 if unknown). */
unsigned long long net_netns_inode(void);

/* Called each time something was made, with the record so far; a failure aborts the setup. */
typedef int (*net_save_fn)(const struct net_record *rec, void *data, struct error **err);
/* Names who a bridge port belongs to, for an error ("container c1"), or leaves `who` empty. */
typedef void (*net_owner_fn)(const char *port, char *who, size_t len, void *data);

/* Make the veth pair of req: the bridge first when hull is to create it (recorded before it is
 * made; an existing one is checked: a bridge, with the host-addresses asked for, and none of the
 * container's addresses in use on it, asked of the kernel in the namespace of the peer of each
 * of its ports, so containers of another --root or of another tool count, named through owner),
 * the pair with its host end up (recorded once made), the host end's addresses, then in the
 * container: up, addresses, default routes, and both ends operationally up.  save and owner get
 * data.  On failure what was made stays recorded in *rec for net_teardown. */
int net_veth_setup(struct net_ctx *ctx, const struct net_request *req, const char *host_ifname,
                   struct net_record *rec, net_save_fn save, net_owner_fn owner, void *data, struct error **err);

/* Remove what rec records, in the caller's namespace: the host end (which takes its peer along),
 * then the bridge if hull created it and no port is left.  What is gone already is fine. */
int net_teardown(const struct net_record *rec, struct error **err);

/* linux.netDevices: one host device moved into the container. */
struct nl_addr;
struct net_moved {
    char host_name[IFNAMSIZ];
    char name[IFNAMSIZ];   /* its name in the container */
    bool was_up;
    bool moved;            /* it is in the container (what net_device_return undoes) */
    struct nl_addr *addrs; /* its permanent global addresses, saved before the move */
    size_t n_addrs;
};
/* Move host_name into the container as name (NULL: the same; "%d" in it: the lowest free number),
 * keep its permanent global-scope addresses (the kernel drops them on a move) and bring it up.
 * label names the config entry in errors ("linux.netDevices.eth5"). */
int net_device_move(struct net_ctx *ctx, const char *host_name, const char *name, const char *label,
                    struct net_moved *out, struct error **err);
/* Undo a move (a failed create): back into hull's namespace under its own name, addresses and
 * state restored. */
int net_device_return(struct net_ctx *ctx, const struct net_moved *m, struct error **err);
void net_moved_free(struct net_moved *m);

#endif
