/* network/: in a child's new network namespace, lo starts down and nl_loopback_up brings it up;
 * the request helper reports a negative ack with the kernel's errno and reads a dump to its end. */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../base/cleanup.h"
#include "../../base/util.h"
#include "../../network/netlink.h"
#include "../../network/nl.h"
#include "tap.h"

struct results {
    int unshared;
    int down_before;
    int up_ret;
    char up_err[256];
    int up_after;
    int enodev_ret;
    char enodev_err[256];
    int extack_ret;
    char extack_err[256];
    int dump_ret;
    int dump_links;
};

static int lo_flags(void) {
    _cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr = {0};
    strcpy(ifr.ifr_name, "lo");
    if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
        return -1;
    return ifr.ifr_flags;
}

static void save_err(char *dst, size_t n, struct error *e) {
    snprintf(dst, n, "%s", e ? e->msg : "");
    error_free(e);
}

static int count_link(const struct nlmsghdr *nlh, void *data) {
    if (nlh->nlmsg_type == RTM_NEWLINK)
        (*(int *)data)++;
    return MNL_CB_OK;
}

/* Through the helper directly: a link that does not exist, then a dump of all links. */
static void helper_checks(struct results *res) {
    struct nl_conn *c = NULL;
    struct error *e = NULL;
    if (nl_open(&c, &e) < 0) {
        save_err(res->enodev_err, sizeof(res->enodev_err), e);
        res->enodev_ret = res->dump_ret = 1;
        return;
    }
    struct nlmsghdr *nlh = nl_msg_new(c, RTM_NEWLINK, 0);
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
    ifi->ifi_index = 999999;
    ifi->ifi_flags = ifi->ifi_change = IFF_UP;
    res->enodev_ret = nl_request(c, nlh, NULL, NULL, "set link 999999 up", &e);
    save_err(res->enodev_err, sizeof(res->enodev_err), e);
    e = NULL;

    /* An error the kernel explains in an extended ack. */
    nlh = nl_msg_new(c, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = AF_INET;
    ifa->ifa_prefixlen = 40;
    ifa->ifa_index = if_nametoindex("lo");
    mnl_attr_put_u32(nlh, IFA_LOCAL, htonl(0x7f000002));
    res->extack_ret = nl_request(c, nlh, NULL, NULL, "add address", &e);
    save_err(res->extack_err, sizeof(res->extack_err), e);
    e = NULL;

    /* a whole ifinfomsg: nl_open asks for strict checks, under which the kernel refuses the
     * old rtgenmsg header of a link dump */
    nlh = nl_msg_new(c, RTM_GETLINK, NLM_F_DUMP);
    struct ifinfomsg *dump = mnl_nlmsg_put_extra_header(nlh, sizeof(*dump));
    dump->ifi_family = AF_UNSPEC;
    res->dump_ret = nl_request(c, nlh, count_link, &res->dump_links, "list links", &e);
    error_free(e);
    nl_close(c);
}

static void child(struct results *res) {
    if (unshare(CLONE_NEWNET) < 0)
        return;
    res->unshared = 1;
    int f = lo_flags();
    res->down_before = f >= 0 && !(f & IFF_UP);
    struct error *e = NULL;
    res->up_ret = nl_loopback_up(&e);
    save_err(res->up_err, sizeof(res->up_err), e);
    f = lo_flags();
    res->up_after = f >= 0 && (f & IFF_UP);
    helper_checks(res);
}

int main(void) {
    if (geteuid() != 0) {
        ok(1, "# SKIP needs root for a network namespace");
        return tap_done();
    }
    struct results *res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (res == MAP_FAILED) {
        ok(0, "mmap: %s", strerror(errno));
        return tap_done();
    }
    memset(res, 0, sizeof(*res));
    pid_t pid = fork();
    if (pid == 0) {
        child(res);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child exited normally");
    ok(res->unshared, "child: unshare(CLONE_NEWNET)");
    ok(res->down_before, "lo is down in a new network namespace");
    ok(res->up_ret == 0, "nl_loopback_up (%s)", res->up_err[0] ? res->up_err : "ok");
    ok(res->up_after, "lo is UP afterwards (SIOCGIFFLAGS)");
    ok(res->enodev_ret == -ENODEV && str_has_prefix(res->enodev_err, "set link 999999 up: ") &&
           strstr(res->enodev_err, "No such device"),
       "a negative ack: %s", res->enodev_err);
    ok(res->extack_ret == -EINVAL && str_has_prefix(res->extack_err, "add address: ") &&
           strlen(res->extack_err) > strlen("add address: Invalid argument"),
       "the kernel's extended ack message is kept: %s", res->extack_err);
    ok(res->dump_ret == 0 && res->dump_links == 1, "a dump reads to NLMSG_DONE: %d link(s) (only lo)", res->dump_links);
    munmap(res, sizeof(*res));
    return tap_done();
}
