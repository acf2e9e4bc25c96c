/* The veth pair of a network request (network.h): point-to-point or a bridge port. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "network.h"
#include "rtnl.h"

int net_ctx_open(int netns_fd, struct net_ctx **out, struct error **err) {
    struct net_ctx *ctx = xcalloc(1, sizeof(*ctx));
    ctx->netns_fd = netns_fd;
    ctx->self_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    int r = ctx->self_fd < 0 ? error_sys(err, errno, "open /proc/thread-self/ns/net") : 0;
    if (r >= 0)
        r = nl_open(&ctx->host, err);
    if (r >= 0)
        r = nl_open_netns(netns_fd, &ctx->ctr, err);
    if (r < 0) {
        net_ctx_close(ctx);
        return r;
    }
    *out = ctx;
    return 0;
}

void net_ctx_close(struct net_ctx *ctx) {
    if (!ctx)
        return;
    nl_close(ctx->host);
    nl_close(ctx->ctr);
    if (ctx->self_fd >= 0)
        close(ctx->self_fd);
    free(ctx);
}

/* ---- checks against what the host has ---- */

/* veth: a host-address must not be on any link of hull's namespace already. */
static int check_host_addresses(struct net_ctx *ctx, const struct net_request *req, struct error **err) {
    if (!req->n_host_addresses)
        return 0;
    _cleanup_free_ struct nl_addr *addrs = NULL;
    size_t n = 0;
    int r = nl_addr_list(ctx->host, 0, &addrs, &n, err);
    if (r < 0)
        return r;
    char label[96], buf[NET_ADDR_STRLEN], ifname[IF_NAMESIZE] = "?";
    for (size_t i = 0; i < req->n_host_addresses; i++)
        for (size_t j = 0; j < n; j++)
            if (net_addr_same_ip(&req->host_addresses[i], &addrs[j].a))
                return error_new(err, EADDRINUSE, "%s: %s is already the address of %s",
                                 net_request_label(req, "host-address", label, sizeof(label)),
                                 net_addr_format(&addrs[j].a, false, buf),
                                 if_indextoname((unsigned)addrs[j].index, ifname) ? ifname : "another link");
    return 0;
}

/* An existing bridge: it must be one, carry the host-addresses asked for, and not have the
 * container's addresses. */
static int check_bridge(struct net_ctx *ctx, const struct net_request *req, const struct nl_link *br,
                        struct error **err) {
    char label[96], buf[NET_ADDR_STRLEN];
    if (strcmp(br->kind, "bridge"))
        return error_new(err, EINVAL, "%s: %s is not a bridge (%s%s)", net_request_label(req, "", label, sizeof(label)),
                         req->bridge, *br->kind ? "a device of kind " : "a physical device", br->kind);
    _cleanup_free_ struct nl_addr *addrs = NULL;
    size_t n = 0;
    int r = nl_addr_list(ctx->host, br->index, &addrs, &n, err);
    if (r < 0)
        return r;
    for (size_t i = 0; i < req->n_host_addresses; i++) {
        bool found = false;
        for (size_t j = 0; j < n && !found; j++)
            found = net_addr_same_ip(&req->host_addresses[i], &addrs[j].a);
        if (!found)
            return error_new(err, EINVAL, "%s: bridge %s exists without the address %s",
                             net_request_label(req, "host-address", label, sizeof(label)), req->bridge,
                             net_addr_format(&req->host_addresses[i], true, buf));
    }
    for (size_t i = 0; i < req->n_addresses; i++)
        for (size_t j = 0; j < n; j++)
            if (net_addr_same_ip(&req->addresses[i], &addrs[j].a))
                return error_new(err, EADDRINUSE, "%s: %s is the address of bridge %s",
                                 net_request_label(req, "address", label, sizeof(label)),
                                 net_addr_format(&addrs[j].a, false, buf), req->bridge);
    return 0;
}

struct ports_of {
    int bridge;
    struct nl_link *v;
    size_t n;
};

/* The ports of a bridge (nl_link_list's callback). */
static void collect_port(const struct nl_link *l, void *data) {
    struct ports_of *p = data;
    if (l->master != p->bridge)
        return;
    p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
    p->v[p->n++] = *l;
}

/* *which: the first of req's addresses that the peer of port p has, or -1. */
static int port_conflict(struct net_ctx *ctx, const struct net_request *req, const struct nl_link *p, int *which,
                         struct error **err) {
    _cleanup_free_ struct nl_addr *addrs = NULL;
    size_t n = 0;
    struct error *e = NULL;
    *which = -1;
    if (p->link_netnsid < 0 || p->link <= 0)
        return 0; /* not a veth whose peer is in another namespace: nothing to ask */
    int r = nl_addr_list_in(ctx->host, p->link_netnsid, p->link, &addrs, &n, &e);
    if (r == -ENOENT || r == -ENODEV || r == -EINVAL) {
        error_free(e); /* its namespace went away meanwhile (a container being deleted) */
        return 0;
    }
    if (r < 0) {
        r = error_wrap(&e, r, "bridge %s, port %s", req->bridge, p->name);
        if (err && !*err)
            *err = e;
        else
            error_free(e);
        return r;
    }
    for (size_t i = 0; i < req->n_addresses && *which < 0; i++)
        for (size_t j = 0; j < n && *which < 0; j++)
            if (addrs[j].index == p->link && net_addr_same_ip(&req->addresses[i], &addrs[j].a))
                *which = (int)i;
    return 0;
}

/* None of req's addresses may be in use on the existing bridge br already: asked of the kernel,
 * in the namespace of the peer of each of its ports (a container of this hull, of another --root
 * or of another tool alike); owner names a port's container for the message. */
static int bridge_conflicts(struct net_ctx *ctx, const struct net_request *req, const struct nl_link *br,
                            net_owner_fn owner, void *data, struct error **err) {
    if (!req->n_addresses)
        return 0;
    struct ports_of ports = {.bridge = br->index};
    int r = nl_link_list(ctx->host, collect_port, &ports, err);
    for (size_t i = 0; i < ports.n && r >= 0; i++) {
        int k;
        if ((r = port_conflict(ctx, req, &ports.v[i], &k, err)) < 0 || k < 0)
            continue;
        char label[96], buf[NET_ADDR_STRLEN], who[160] = "";
        if (owner)
            owner(ports.v[i].name, who, sizeof(who), data);
        net_request_label(req, "address", label, sizeof(label));
        net_addr_format(&req->addresses[k], false, buf);
        if (*who)
            r = error_new(err, EADDRINUSE, "%s: %s is in use on bridge %s by %s (its port %s)", label, buf,
                          req->bridge, who, ports.v[i].name);
        else
            r = error_new(err, EADDRINUSE, "%s: %s is in use on bridge %s by the device behind port %s", label, buf,
                          req->bridge, ports.v[i].name);
    }
    free(ports.v);
    return r < 0 ? r : 0;
}

/* The bridge of a request: found, or created (and recorded first) when host-addresses are given. */
static int get_bridge(struct net_ctx *ctx, const struct net_request *req, struct net_record *rec, net_save_fn save,
                      net_owner_fn owner, void *data, struct nl_link *br, struct error **err) {
    char label[96];
    int r = nl_link_find(ctx->host, req->bridge, br, err);
    if (r < 0)
        return r;
    snprintf(rec->bridge, sizeof(rec->bridge), "%s", req->bridge);
    if (r == 0)
        return (r = check_bridge(ctx, req, br, err)) < 0 ? r : bridge_conflicts(ctx, req, br, owner, data, err);
    if (!req->n_host_addresses)
        return error_new(err, ENODEV, "%s: bridge %s does not exist (with %s hull creates it)",
                         net_request_label(req, "", label, sizeof(label)), req->bridge,
                         net_request_label(req, "host-address", label + 48, sizeof(label) - 48));
    /* recorded before it exists: a delete after a crash here removes it (it is marked hull's) */
    if ((r = save(rec, data, err)) < 0 || (r = nl_bridge_create(ctx->host, req->bridge, NET_BRIDGE_ALIAS, err)) < 0)
        return r;
    if ((r = nl_link_find(ctx->host, req->bridge, br, err)) != 0)
        return r < 0 ? r : error_new(err, ENODEV, "bridge %s vanished after its creation", req->bridge);
    for (size_t i = 0; i < req->n_host_addresses; i++)
        if ((r = nl_addr_add(ctx->host, br->index, req->bridge, &req->host_addresses[i], err)) < 0)
            return r;
    return nl_link_up(ctx->host, br->index, req->bridge, err);
}

/* ---- the pair ---- */

/* The addresses of the link `name` of c (found by name: its index is not known in advance), up
 * first when `up`: IPv6 puts a prefix route in only on a link that is up. */
static int add_addresses(struct nl_conn *c, const char *name, bool up, const struct net_addr *addrs, size_t n,
                         const char *where, int *index, struct error **err) {
    struct nl_link l;
    int r = nl_link_find(c, name, &l, err);
    if (r != 0)
        return r < 0 ? r : error_new(err, ENODEV, "%s is not %s after its creation", name, where);
    *index = l.index;
    if (up)
        r = nl_link_up(c, l.index, name, err);
    for (size_t i = 0; i < n && r >= 0; i++)
        r = nl_addr_add(c, l.index, name, &addrs[i], err);
    return r;
}

/* The creation failed with EEXIST: which of the two names is taken. */
static int name_taken(struct net_ctx *ctx, const struct net_request *req, const char *host_ifname, int r,
                      struct error **err) {
    struct nl_link taken;
    char label[96];
    struct error *e = NULL;
    if (nl_link_find(ctx->ctr, req->ifname, &taken, &e) == 0)
        r = error_new(&e, EEXIST, "%s: the container has a device %s already",
                      net_request_label(req, "ifname", label, sizeof(label)), req->ifname);
    else if (nl_link_find(ctx->host, host_ifname, &taken, &e) == 0)
        r = error_new(&e, EEXIST, "the host end's name %s (made from the container id) is taken: by a container "
                                  "whose id hashes alike, or a leftover", host_ifname);
    if (e && err) {
        error_free(*err);
        *err = e;
    } else {
        error_free(e);
    }
    return r;
}

int net_veth_setup(struct net_ctx *ctx, const struct net_request *req, const char *host_ifname,
                   struct net_record *rec, net_save_fn save, net_owner_fn owner, void *data, struct error **err) {
    struct nl_link br = {0};
    int r = req->mode == NET_MODE_BRIDGE ? get_bridge(ctx, req, rec, save, owner, data, &br, err)
                                         : check_host_addresses(ctx, req, err);
    if (r < 0)
        return r;
    /* One request makes the pair, the host end up and a bridge port in bridge mode; a name
     * taken (EEXIST) is found out afterwards, on that rare path only. */
    r = nl_veth_create(ctx->host, host_ifname, req->ifname, ctx->netns_fd, req->mtu, req->has_mac ? req->mac : NULL,
                       br.index, req->bridge, err);
    if (r == -EEXIST)
        return name_taken(ctx, req, host_ifname, r, err);
    if (r < 0)
        return r;
    snprintf(rec->host_ifname, sizeof(rec->host_ifname), "%s", host_ifname);
    if ((r = save(rec, data, err)) < 0)
        return r;
    int index;
    if (req->n_host_addresses && req->mode != NET_MODE_BRIDGE &&
        (r = add_addresses(ctx->host, host_ifname, false, req->host_addresses, req->n_host_addresses, "here", &index, err)) < 0)
        return r;
    if ((r = add_addresses(ctx->ctr, req->ifname, true, req->addresses, req->n_addresses, "in the container", &index,
                           err)) < 0)
        return r;
    for (size_t i = 0; i < req->n_gateways; i++)
        if ((r = nl_route_default(ctx->ctr, index, req->ifname, &req->gateways[i], err)) < 0)
            return r;
    /* a veth end is activated (its qdisc attached; it drops what it sends until then) by the
     * kernel's linkwatch work, a moment after its carrier came */
    if ((r = nl_link_wait_running(ctx->ctr, req->ifname, err)) < 0)
        return r;
    return nl_link_wait_running(ctx->host, host_ifname, err);
}

/* ---- teardown ---- */

int net_teardown(const struct net_record *rec, struct error **err) {
    if (!*rec->host_ifname && !*rec->bridge)
        return 0;
    struct nl_conn *c = NULL;
    int r = nl_open(&c, err);
    if (r < 0)
        return r;
    if (*rec->host_ifname)
        r = nl_link_del(c, 0, rec->host_ifname, err);
    struct nl_link br;
    if (r >= 0 && *rec->bridge && (r = nl_link_find(c, rec->bridge, &br, err)) == 0 &&
        !strcmp(br.alias, NET_BRIDGE_ALIAS) && !strcmp(br.kind, "bridge")) {
        struct ports_of p = {.bridge = br.index};
        r = nl_link_list(c, collect_port, &p, err);
        free(p.v);
        if (r >= 0 && p.n == 0) {
            log_debug("bridge %s: hull's, no port left: deleted", rec->bridge);
            r = nl_link_del(c, br.index, rec->bridge, err);
        }
    }
    nl_close(c);
    return r < 0 ? r : 0;
}
