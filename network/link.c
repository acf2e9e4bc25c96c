/* Links: find, list, up, bridge port, delete, move between namespaces; veth pairs and bridges. */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "rtnl.h"

static void copy_str(char *dst, size_t len, const struct nlattr *attr) {
    if (attr && mnl_attr_validate(attr, MNL_TYPE_STRING) == 0)
        snprintf(dst, len, "%.*s", (int)strnlen(mnl_attr_get_payload(attr), mnl_attr_get_payload_len(attr)),
                 (const char *)mnl_attr_get_payload(attr));
}

static int parse_link(const struct nlmsghdr *nlh, struct nl_link *l) {
    memset(l, 0, sizeof(*l));
    if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct ifinfomsg)))
        return -1;
    const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *tb[IFLA_MAX + 1] = {0};
    if (nl_attrs(nlh, sizeof(*ifi), tb, IFLA_MAX) < 0)
        return -1;
    l->index = ifi->ifi_index;
    l->link_netnsid = -1;
    if (tb[IFLA_LINK] && mnl_attr_validate(tb[IFLA_LINK], MNL_TYPE_U32) == 0)
        l->link = (int)mnl_attr_get_u32(tb[IFLA_LINK]);
    if (tb[IFLA_LINK_NETNSID] && mnl_attr_validate(tb[IFLA_LINK_NETNSID], MNL_TYPE_U32) == 0)
        l->link_netnsid = (int)mnl_attr_get_u32(tb[IFLA_LINK_NETNSID]);
    l->flags = ifi->ifi_flags;
    copy_str(l->name, sizeof(l->name), tb[IFLA_IFNAME]);
    copy_str(l->alias, sizeof(l->alias), tb[IFLA_IFALIAS]);
    if (tb[IFLA_OPERSTATE] && mnl_attr_validate(tb[IFLA_OPERSTATE], MNL_TYPE_U8) == 0)
        l->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
    if (tb[IFLA_MASTER] && mnl_attr_validate(tb[IFLA_MASTER], MNL_TYPE_U32) == 0)
        l->master = (int)mnl_attr_get_u32(tb[IFLA_MASTER]);
    if (tb[IFLA_LINKINFO]) {
        const struct nlattr *info[IFLA_INFO_MAX + 1] = {0};
        if (nl_attrs_nested(tb[IFLA_LINKINFO], info, IFLA_INFO_MAX) >= 0)
            copy_str(l->kind, sizeof(l->kind), info[IFLA_INFO_KIND]);
    }
    return 0;
}

static struct ifinfomsg *put_ifinfo(struct nlmsghdr *nlh, int index) {
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = index;
    return ifi;
}

struct find {
    struct nl_link *out;
    bool found;
};

static int find_cb(const struct nlmsghdr *nlh, void *data) {
    struct find *f = data;
    if (parse_link(nlh, f->out) == 0)
        f->found = true;
    return MNL_CB_OK;
}

int nl_link_find(struct nl_conn *c, const char *name, struct nl_link *out, struct error **err) {
    struct nlmsghdr *nlh = nl_msg_new(c, RTM_GETLINK, 0);
    put_ifinfo(nlh, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    struct find f = {.out = out};
    char what[64];
    snprintf(what, sizeof(what), "find link %s", name);
    struct error *e = NULL;
    int r = nl_request(c, nlh, find_cb, &f, what, &e);
    if (r == -ENODEV) {
        error_free(e);
        return 1;
    }
    if (r < 0) {
        if (err && !*err)
            *err = e;
        else
            error_free(e);
        return r;
    }
    return f.found ? 0 : error_new(err, EPROTO, "%s: no answer from the kernel", what);
}

struct list {
    nl_link_fn fn;
    void *data;
};

static int list_cb(const struct nlmsghdr *nlh, void *data) {
    struct list *li = data;
    struct nl_link l;
    if (parse_link(nlh, &l) == 0)
        li->fn(&l, li->data);
    return MNL_CB_OK;
}

int nl_link_list(struct nl_conn *c, nl_link_fn fn, void *data, struct error **err) {
    struct nlmsghdr *nlh = nl_msg_new(c, RTM_GETLINK, NLM_F_DUMP);
    put_ifinfo(nlh, 0);
    mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    struct list li = {fn, data};
    return nl_request(c, nlh, list_cb, &li, "list links", err);
}

int nl_link_up(struct nl_conn *c, int index, const char *name, struct error **err) {
    struct nlmsghdr *nlh = nl_msg_new(c, RTM_NEWLINK, 0);
    struct ifinfomsg *ifi = put_ifinfo(nlh, index);
    ifi->ifi_flags = ifi->ifi_change = IFF_UP;
    char what[64];
    snprintf(what, sizeof(what), "bring up %s", name);
    return nl_request(c, nlh, NULL, NULL, what, err);
}

int nl_link_wait_running(struct nl_conn *c, const char *name, struct error **err) {
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (unsigned delay_us = 50;; delay_us = delay_us < 10000 ? delay_us * 2 : delay_us) {
        struct nl_link l;
        int r = nl_link_find(c, name, &l, err);
        if (r != 0)
            return r < 0 ? r : error_new(err, ENODEV, "wait for %s to come up: it is gone", name);
        if (l.operstate == 6 /* IF_OPER_UP: linux/if.h clashes with net/if.h */)
            return 0;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= 5)
            return error_new(err, ETIMEDOUT, "wait for %s to come up: still not running after 5 s (operstate %u)",
                             name, l.operstate);
        usleep(delay_us);
    }
}

int nl_link_del(struct nl_conn *c, int index, const char *name, struct error **err) {
    struct nlmsghdr *nlh = nl_msg_new(c, RTM_DELLINK, 0);
    put_ifinfo(nlh, index);
    if (!index)
        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    char what[64];
    snprintf(what, sizeof(what), "delete %s", name);
    struct error *e = NULL;
    int r = nl_request(c, nlh, NULL, NULL, what, &e);
    if (r == -ENODEV) {
        error_free(e);
        return 1;
    }
    if (r < 0 && err && !*err)
        *err = e;
    else
        error_free(e);
    return r;
}

int nl_link_move(struct nl_conn *c, int index, const char *name, int netns_fd, const char *new_name,
                 struct error **err) {
    struct nlmsghdr *nlh = nl_msg_new(c, RTM_NEWLINK, 0);
    put_ifinfo(nlh, index);
    mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);
    if (new_name)
        mnl_attr_put_strz(nlh, IFLA_IFNAME, new_name);
    char what[96];
    if (new_name && strcmp(new_name, name))
        snprintf(what, sizeof(what), "move %s to another network namespace as %s", name, new_name);
    else
        snprintf(what, sizeof(what), "move %s to another network namespace", name);
    return nl_request(c, nlh, NULL, NULL, what, err);
}

int nl_veth_create(struct nl_conn *c, const char *host, const char *peer, int netns_fd, unsigned mtu,
                   const unsigned char *mac, int master, const char *master_name, struct error **err) {
    struct nlmsghdr *nlh = nl_msg_new(c, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    /* the host end up in the same request (rtnl_configure_link applies ifi_flags once the pair
     * exists; the peer's own flags are applied before it knows its peer: veth_open fails) */
    struct ifinfomsg *ifi = put_ifinfo(nlh, 0);
    ifi->ifi_flags = ifi->ifi_change = IFF_UP;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, host);
    if (mtu)
        mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
    if (master)
        mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
    struct nlattr *linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
    struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    struct nlattr *peer_attr = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
    put_ifinfo(nlh, 0); /* the peer's attributes follow its own ifinfomsg */
    mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
    mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);
    if (mtu)
        mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
    if (mac)
        mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
    mnl_attr_nest_end(nlh, peer_attr);
    mnl_attr_nest_end(nlh, data);
    mnl_attr_nest_end(nlh, linkinfo);
    char what[112];
    if (master)
        snprintf(what, sizeof(what), "create veth %s (peer %s), a port of bridge %s", host, peer, master_name);
    else
        snprintf(what, sizeof(what), "create veth %s (peer %s)", host, peer);
    return nl_request(c, nlh, NULL, NULL, what, err);
}

int nl_bridge_create(struct nl_conn *c, const char *name, const char *alias, struct error **err) {
    struct nlmsghdr *nlh = nl_msg_new(c, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    put_ifinfo(nlh, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    /* A MAC of its own: without one a bridge takes its ports' lowest, and changes it when that
     * port goes, which leaves the other containers' ARP entries for its address stale. */
    unsigned char mac[6];
    if (getrandom(mac, sizeof(mac), 0) == (ssize_t)sizeof(mac)) {
        mac[0] = (unsigned char)((mac[0] & 0xfe) | 0x02); /* unicast, locally administered */
        mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
    }
    struct nlattr *linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
    mnl_attr_nest_end(nlh, linkinfo);
    char what[64];
    snprintf(what, sizeof(what), "create bridge %s", name);
    int r = nl_request(c, nlh, NULL, NULL, what, err);
    if (r < 0)
        return r;
    /* the alias is a property of an existing link (rtnl_create_link does not take it) */
    nlh = nl_msg_new(c, RTM_NEWLINK, 0);
    put_ifinfo(nlh, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
    snprintf(what, sizeof(what), "set the alias of bridge %s", name);
    return nl_request(c, nlh, NULL, NULL, what, err);
}
