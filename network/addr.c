/* Addresses: list (RTM_GETADDR dump) and add. */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../base/util.h"
#include "rtnl.h"

struct addr_list {
    int index;
    struct nl_addr *v;
    size_t n;
};

static bool get_ip(const struct nlattr *attr, int family, unsigned char *out) {
    size_t len = family == AF_INET ? 4 : 16;
    if (!attr || mnl_attr_get_payload_len(attr) != len)
        return false;
    memcpy(out, mnl_attr_get_payload(attr), len);
    return true;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data) {
    struct addr_list *li = data;
    if (nlh->nlmsg_type != RTM_NEWADDR || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct ifaddrmsg)))
        return MNL_CB_OK;
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
    if ((li->index && (int)ifa->ifa_index != li->index) || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
        return MNL_CB_OK;
    const struct nlattr *tb[IFA_MAX + 1] = {0};
    if (nl_attrs(nlh, sizeof(*ifa), tb, IFA_MAX) < 0)
        return MNL_CB_OK;
    struct nl_addr a = {.index = (int)ifa->ifa_index, .flags = ifa->ifa_flags, .scope = ifa->ifa_scope};
    a.a.family = ifa->ifa_family;
    a.a.prefix = ifa->ifa_prefixlen;
    unsigned char address[16];
    bool has_address = get_ip(tb[IFA_ADDRESS], a.a.family, address);
    if (!get_ip(tb[IFA_LOCAL], a.a.family, a.a.ip)) {
        if (!has_address)
            return MNL_CB_OK;
        memcpy(a.a.ip, address, sizeof(address));
    } else if (has_address && memcmp(address, a.a.ip, a.a.family == AF_INET ? 4 : 16)) {
        a.has_peer = true;
        memcpy(a.peer, address, sizeof(address));
    }
    if (a.a.family == AF_INET)
        a.has_brd = get_ip(tb[IFA_BROADCAST], AF_INET, a.brd);
    if (tb[IFA_FLAGS] && mnl_attr_validate(tb[IFA_FLAGS], MNL_TYPE_U32) == 0)
        a.flags = mnl_attr_get_u32(tb[IFA_FLAGS]);
    li->v = xrealloc(li->v, (li->n + 1) * sizeof(*li->v));
    li->v[li->n++] = a;
    return MNL_CB_OK;
}

int nl_addr_list(struct nl_conn *c, int index, struct nl_addr **out, size_t *n, struct error **err) {
    return nl_addr_list_in(c, -1, index, out, n, err);
}

int nl_addr_list_in(struct nl_conn *c, int netnsid, int index, struct nl_addr **out, size_t *n, struct error **err) {
    struct nlmsghdr *nlh = nl_msg_new(c, RTM_GETADDR, NLM_F_DUMP);
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = AF_UNSPEC;
    ifa->ifa_index = (unsigned)index; /* a filter with the strict checks nl_open asks for */
    if (netnsid >= 0)
        mnl_attr_put_u32(nlh, IFA_TARGET_NETNSID, (uint32_t)netnsid);
    struct addr_list li = {.index = index};
    char what[64] = "list addresses";
    if (netnsid >= 0)
        snprintf(what, sizeof(what), "list addresses in network namespace id %d", netnsid);
    int r = nl_request(c, nlh, addr_cb, &li, what, err);
    if (r < 0) {
        free(li.v);
        return r;
    }
    *out = li.v;
    *n = li.n;
    return 0;
}

static struct nlmsghdr *new_addr_msg(struct nl_conn *c, int index, const struct net_addr *a, unsigned flags,
                                     unsigned char scope) {
    struct nlmsghdr *nlh = nl_msg_new(c, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = (unsigned char)a->family;
    ifa->ifa_prefixlen = a->prefix;
    ifa->ifa_index = (unsigned)index;
    ifa->ifa_scope = scope;
    ifa->ifa_flags = (unsigned char)(flags & 0xff);
    size_t len = a->family == AF_INET ? 4 : 16;
    mnl_attr_put(nlh, IFA_LOCAL, len, a->ip);
    mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
    return nlh;
}

static const char *add_what(char *buf, size_t len, const struct net_addr *a, const char *ifname) {
    char s[NET_ADDR_STRLEN];
    snprintf(buf, len, "add address %s to %s", net_addr_format(a, true, s), ifname);
    return buf;
}

int nl_addr_add(struct nl_conn *c, int index, const char *ifname, const struct net_addr *a, struct error **err) {
    struct nlmsghdr *nlh = new_addr_msg(c, index, a, a->family == AF_INET6 ? IFA_F_NODAD : 0, RT_SCOPE_UNIVERSE);
    if (a->family == AF_INET) {
        mnl_attr_put(nlh, IFA_ADDRESS, 4, a->ip);
        if (a->prefix < 31) { /* the subnet's broadcast address, as `ip addr add ... brd +` */
            unsigned char brd[4];
            memcpy(brd, a->ip, 4);
            for (unsigned bit = a->prefix; bit < 32; bit++)
                brd[bit / 8] |= (unsigned char)(0x80 >> (bit % 8));
            mnl_attr_put(nlh, IFA_BROADCAST, 4, brd);
        }
    }
    char what[128];
    return nl_request(c, nlh, NULL, NULL, add_what(what, sizeof(what), a, ifname), err);
}

int nl_addr_restore(struct nl_conn *c, int index, const char *ifname, const struct nl_addr *a, struct error **err) {
    unsigned flags = a->flags & ~(unsigned)(IFA_F_TENTATIVE | IFA_F_DADFAILED | IFA_F_DEPRECATED | IFA_F_OPTIMISTIC);
    if (a->a.family == AF_INET6)
        flags |= IFA_F_NODAD; /* it was checked where it came from: usable at once */
    struct nlmsghdr *nlh = new_addr_msg(c, index, &a->a, flags, a->scope);
    size_t len = a->a.family == AF_INET ? 4 : 16;
    mnl_attr_put(nlh, IFA_ADDRESS, len, a->has_peer ? a->peer : a->a.ip);
    if (a->has_brd)
        mnl_attr_put(nlh, IFA_BROADCAST, 4, a->brd);
    char what[128];
    return nl_request(c, nlh, NULL, NULL, add_what(what, sizeof(what), &a->a, ifname), err);
}
