/* Default routes via a gateway. */
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <sys/socket.h>

#include "rtnl.h"

int nl_route_default(struct nl_conn *c, int index, const char *ifname, const struct net_addr *gw,
                     struct error **err) {
    struct nlmsghdr *nlh = nl_msg_new(c, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
    rtm->rtm_family = (unsigned char)gw->family;
    rtm->rtm_dst_len = 0;
    rtm->rtm_table = RT_TABLE_MAIN;
    rtm->rtm_protocol = RTPROT_BOOT;
    rtm->rtm_scope = RT_SCOPE_UNIVERSE;
    rtm->rtm_type = RTN_UNICAST;
    mnl_attr_put(nlh, RTA_GATEWAY, gw->family == AF_INET ? 4 : 16, gw->ip);
    mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)index);
    char what[128], s[NET_ADDR_STRLEN];
    snprintf(what, sizeof(what), "add default route via %s dev %s", net_addr_format(gw, false, s), ifname);
    return nl_request(c, nlh, NULL, NULL, what, err);
}
