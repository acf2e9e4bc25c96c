/* The rtnetlink request/ack exchange (see nl.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "nl.h"

#define NL_BUF_SIZE 8192

struct nl_conn {
    struct mnl_socket *sock;
    unsigned int portid;
    unsigned int seq;
    char req[NL_BUF_SIZE];
    char resp[NL_BUF_SIZE * 4];
};

/* What the ack said: 0 or a positive errno, and the kernel's extended message if any. */
struct nl_ack {
    int error;
    bool done;
    char msg[256];
    mnl_cb_t cb;
    void *data;
};

int nl_open(struct nl_conn **out, struct error **err) {
    struct nl_conn *c = xcalloc(1, sizeof(*c));
    c->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (!c->sock) {
        int e = errno;
        free(c);
        return error_sys(err, e, "open rtnetlink socket");
    }
    if (mnl_socket_bind(c->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
        int e = errno;
        nl_close(c);
        return error_sys(err, e, "bind rtnetlink socket");
    }
    /* Best effort: the kernel's reason in errors, and no echo of the request in them. */
    int one = 1;
    mnl_socket_setsockopt(c->sock, NETLINK_EXT_ACK, &one, sizeof(one));
    mnl_socket_setsockopt(c->sock, NETLINK_CAP_ACK, &one, sizeof(one));
    /* dumps filtered by the kernel (an address dump by ifa_index) and into another namespace
     * (IFA_TARGET_NETNSID is read only under strict checks) */
    mnl_socket_setsockopt(c->sock, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
    c->portid = mnl_socket_get_portid(c->sock);
    c->seq = (unsigned int)time(NULL);
    *out = c;
    return 0;
}

void nl_close(struct nl_conn *c) {
    if (!c)
        return;
    if (c->sock)
        mnl_socket_close(c->sock);
    free(c);
}

struct nlmsghdr *nl_msg_new(struct nl_conn *c, uint16_t type, uint16_t flags) {
    memset(c->req, 0, sizeof(c->req));
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(c->req);
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    nlh->nlmsg_seq = ++c->seq;
    return nlh;
}

/* The extended ack's NLMSGERR_ATTR_MSG, after the nlmsgerr (and the echoed request unless capped). */
static void ack_message(const struct nlmsghdr *nlh, const struct nlmsgerr *e, struct nl_ack *ack) {
    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
        return;
    size_t offset = sizeof(*e);
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
        offset += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
    const struct nlattr *attr;
    mnl_attr_for_each(attr, nlh, offset) {
        if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0) {
            snprintf(ack->msg, sizeof(ack->msg), "%s", mnl_attr_get_str(attr));
            return;
        }
    }
}

static int error_cb(const struct nlmsghdr *nlh, void *data) {
    struct nl_ack *ack = data;
    const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
    if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
        ack->error = EBADMSG;
        return MNL_CB_ERROR;
    }
    ack->error = -e->error;
    ack->done = true;
    if (ack->error)
        ack_message(nlh, e, ack);
    return MNL_CB_STOP;
}

/* The end of a dump (GET with NLM_F_DUMP), which carries the dump's error. */
static int done_cb(const struct nlmsghdr *nlh, void *data) {
    struct nl_ack *ack = data;
    if (nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(int))) {
        int e = *(const int *)mnl_nlmsg_get_payload(nlh);
        ack->error = e < 0 ? -e : 0;
    }
    ack->done = true;
    return MNL_CB_STOP;
}

static int data_cb(const struct nlmsghdr *nlh, void *data) {
    struct nl_ack *ack = data;
    return ack->cb ? ack->cb(nlh, ack->data) : MNL_CB_OK;
}

static int ack_fail(struct error **err, int e, const char *what, const char *msg) {
    return *msg ? error_sys(err, e, "%s: %s", what, msg) : error_sys(err, e, "%s", what);
}

int nl_request(struct nl_conn *c, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, const char *what,
               struct error **err) {
    if (mnl_socket_sendto(c->sock, nlh, nlh->nlmsg_len) < 0)
        return error_sys(err, errno, "%s: send netlink request", what);
    static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {[NLMSG_ERROR] = error_cb, [NLMSG_DONE] = done_cb};
    struct nl_ack ack = {.cb = cb, .data = data};
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(c->sock, c->resp, sizeof(c->resp));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return error_sys(err, errno, "%s: receive netlink reply", what);
        }
        int r = mnl_cb_run2(c->resp, (size_t)n, nlh->nlmsg_seq, c->portid, data_cb, &ack, ctl, NLMSG_MIN_TYPE);
        if (ack.error)
            return ack_fail(err, ack.error, what, ack.msg);
        if (r < 0)
            return error_sys(err, errno, "%s: netlink reply", what);
        if (r == MNL_CB_STOP || ack.done)
            return 0;
    }
}

struct attr_table {
    const struct nlattr **tb;
    unsigned max;
};

static int attr_cb(const struct nlattr *attr, void *data) {
    const struct attr_table *t = data;
    unsigned type = mnl_attr_get_type(attr);
    if (type <= t->max)
        t->tb[type] = attr;
    return MNL_CB_OK;
}

int nl_attrs(const struct nlmsghdr *nlh, size_t hdrlen, const struct nlattr **tb, unsigned max) {
    struct attr_table t = {tb, max};
    return mnl_attr_parse(nlh, (unsigned)hdrlen, attr_cb, &t);
}

int nl_attrs_nested(const struct nlattr *nest, const struct nlattr **tb, unsigned max) {
    struct attr_table t = {tb, max};
    return mnl_attr_parse_nested(nest, attr_cb, &t);
}
