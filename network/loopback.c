/* Bring up `lo` in a new network namespace, as runc and crun do. */
#include <errno.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "netlink.h"
#include "nl.h"

int nl_loopback_up(struct error **err) {
    unsigned int index = if_nametoindex("lo");
    if (index == 0)
        return error_sys(err, errno, "bring up lo: find the interface");
    struct nl_conn *c = NULL;
    int r = nl_open(&c, err);
    if (r < 0)
        return error_wrap(err, r, "bring up lo");
    struct nlmsghdr *nlh = nl_msg_new(c, RTM_NEWLINK, 0);
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = (int)index;
    ifi->ifi_flags = IFF_UP;
    ifi->ifi_change = IFF_UP;
    r = nl_request(c, nlh, NULL, NULL, "bring up lo", err);
    nl_close(c);
    return r;
}
