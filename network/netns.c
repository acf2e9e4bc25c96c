/* An rtnetlink socket inside another network namespace: the socket keeps the namespace it was
 * opened in, so hull enters the container's namespace only for the socket() call. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "rtnl.h"

int nl_open_netns(int netns_fd, struct nl_conn **out, struct error **err) {
    _cleanup_close_ int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (self < 0)
        return error_sys(err, errno, "open /proc/thread-self/ns/net");
    if (setns(netns_fd, CLONE_NEWNET) < 0)
        return error_sys(err, errno, "enter the container's network namespace");
    int r = nl_open(out, err);
    if (setns(self, CLONE_NEWNET) < 0) {
        /* hull would go on in the container's namespace: nothing sane is left to do */
        log_error("return to hull's network namespace: %s", strerror(errno));
        abort();
    }
    return r;
}
