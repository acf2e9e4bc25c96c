/* network/: netlink requests through libmnl, each acknowledged by the kernel. */
#ifndef HULL_NETWORK_NETLINK_H
#define HULL_NETWORK_NETLINK_H

#include "../base/error.h"

/* Bring up `lo` in the calling process's network namespace (runc and crun do this for a new one). */
int nl_loopback_up(struct error **err);

#endif
