/* linux.netDevices: existing devices moved into the container's network namespace
 * (config-linux.md "Network Devices").  The kernel drops a device's addresses when it changes
 * namespace, so the permanent global ones are saved before and added back after; the device is
 * then brought up.  On delete hull does nothing, as the specification says: when the namespace
 * dies the kernel moves physical devices back to the initial namespace and destroys virtual ones. */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "network.h"
#include "rtnl.h"

struct names {
    const char *pattern; /* "eth%d" */
    unsigned long used[4]; /* numbers 0..255 taken */
};

static void mark_used(const struct nl_link *l, void *data) {
    struct names *n = data;
    const char *pct = strstr(n->pattern, "%d");
    size_t pre = (size_t)(pct - n->pattern), post = strlen(pct + 2);
    size_t len = strlen(l->name);
    if (len <= pre + post || strncmp(l->name, n->pattern, pre) || strcmp(l->name + len - post, pct + 2))
        return;
    char *end;
    unsigned long num = strtoul(l->name + pre, &end, 10);
    if (end == l->name + len - post && num < 256)
        n->used[num / 64] |= 1UL << (num % 64);
}

/* The lowest free name for a "%d" template in the container, as the kernel would pick. */
static int resolve_template(struct nl_conn *c, const char *pattern, const char *label, char out[IFNAMSIZ],
                            struct error **err) {
    struct names n = {.pattern = pattern};
    const char *pct = strstr(pattern, "%d");
    if (strchr(pct + 2, '%') || memchr(pattern, '%', (size_t)(pct - pattern)))
        return error_new(err, EINVAL, "%s: \"%s\": one %%d at most", label, pattern);
    int r = nl_link_list(c, mark_used, &n, err);
    if (r < 0)
        return r;
    for (unsigned i = 0; i < 256; i++)
        if (!(n.used[i / 64] & (1UL << (i % 64)))) {
            int len = snprintf(out, IFNAMSIZ, "%.*s%u%s", (int)(pct - pattern), pattern, i, pct + 2);
            if (len >= IFNAMSIZ)
                break;
            return 0;
        }
    return error_new(err, ENFILE, "%s: no free name for \"%s\"", label, pattern);
}

static int save_addresses(struct nl_conn *c, int index, struct net_moved *m, struct error **err) {
    struct nl_addr *all = NULL;
    size_t n = 0;
    int r = nl_addr_list(c, index, &all, &n, err);
    if (r < 0)
        return r;
    /* what the specification asks to keep: permanent addresses of global scope */
    for (size_t i = 0; i < n; i++)
        if ((all[i].flags & IFA_F_PERMANENT) && all[i].scope == RT_SCOPE_UNIVERSE) {
            m->addrs = xrealloc(m->addrs, (m->n_addrs + 1) * sizeof(*m->addrs));
            m->addrs[m->n_addrs++] = all[i];
        }
    free(all);
    return 0;
}

static int restore(struct nl_conn *c, const char *name, const struct net_moved *m, bool up, struct error **err) {
    struct nl_link l;
    int r = nl_link_find(c, name, &l, err);
    if (r != 0)
        return r < 0 ? r : error_new(err, ENODEV, "%s is not where it was moved to", name);
    if (up && (r = nl_link_up(c, l.index, name, err)) < 0)
        return r;
    for (size_t i = 0; i < m->n_addrs; i++)
        if ((r = nl_addr_restore(c, l.index, name, &m->addrs[i], err)) < 0)
            return r;
    return 0;
}

int net_device_move(struct net_ctx *ctx, const char *host_name, const char *name, const char *label,
                    struct net_moved *out, struct error **err) {
    memset(out, 0, sizeof(*out));
    snprintf(out->host_name, sizeof(out->host_name), "%s", host_name);
    struct nl_link dev;
    int r = nl_link_find(ctx->host, host_name, &dev, err);
    if (r != 0)
        return r < 0 ? error_wrap(err, r, "%s", label) : error_new(err, ENODEV, "%s: no device %s here", label, host_name);
    out->was_up = (dev.flags & IFF_UP) != 0;
    if (!name)
        name = host_name;
    if (strstr(name, "%d")) {
        if ((r = resolve_template(ctx->ctr, name, label, out->name, err)) < 0)
            return r;
    } else {
        snprintf(out->name, sizeof(out->name), "%s", name);
        struct nl_link there;
        if ((r = nl_link_find(ctx->ctr, out->name, &there, err)) < 0)
            return error_wrap(err, r, "%s", label);
        if (r == 0)
            return error_new(err, EEXIST, "%s: the container has a device %s already", label, out->name);
    }
    if ((r = save_addresses(ctx->host, dev.index, out, err)) < 0 ||
        (r = nl_link_move(ctx->host, dev.index, host_name, ctx->netns_fd, out->name, err)) < 0)
        return error_wrap(err, r, "%s", label);
    out->moved = true;
    /* up, as the specification asks, then the addresses (IPv6 routes need the link up) */
    r = restore(ctx->ctr, out->name, out, true, err);
    return r < 0 ? error_wrap(err, r, "%s", label) : 0;
}

int net_device_return(struct net_ctx *ctx, const struct net_moved *m, struct error **err) {
    struct nl_link dev;
    if (!m->moved)
        return 0;
    int r = nl_link_find(ctx->ctr, m->name, &dev, err);
    if (r != 0)
        return r < 0 ? r : 0; /* gone (a virtual device whose namespace died) */
    if ((r = nl_link_move(ctx->ctr, dev.index, m->name, ctx->self_fd, m->host_name, err)) < 0)
        return r;
    return restore(ctx->host, m->host_name, m, m->was_up, err);
}

void net_moved_free(struct net_moved *m) {
    free(m->addrs);
    m->addrs = NULL;
    m->n_addrs = 0;
}
