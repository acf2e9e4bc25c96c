/* network/ internals: one rtnetlink connection and the request/ack exchange every network/ file
 * uses (loopback now; veth, addresses, routes, moving links later).
 *
 *   struct nl_conn *c;
 *   nl_open(&c, err);
 *   struct nlmsghdr *nlh = nl_msg_new(c, RTM_NEWLINK, NLM_F_CREATE);
 *   ... mnl_nlmsg_put_extra_header / mnl_attr_put ...
 *   nl_request(c, nlh, NULL, NULL, "create veth", err);
 *   nl_close(c);
 */
#ifndef HULL_NETWORK_NL_H
#define HULL_NETWORK_NL_H

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <stdint.h>

#include "../base/error.h"

struct nl_conn;

/* A NETLINK_ROUTE socket (CLOEXEC, extended acks asked for) in the caller's network namespace. */
int nl_open(struct nl_conn **out, struct error **err);
void nl_close(struct nl_conn *c);

/* Start a request in c's buffer (valid until the next nl_msg_new): type, flags | NLM_F_REQUEST |
 * NLM_F_ACK, a fresh sequence number. */
struct nlmsghdr *nl_msg_new(struct nl_conn *c, uint16_t type, uint16_t flags);

/* Send nlh and read replies until the kernel's ack.  Data messages (for GET requests) go to cb
 * when not NULL.  A negative ack becomes "<what>: <kernel's extended message>: <strerror>". */
int nl_request(struct nl_conn *c, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, const char *what,
               struct error **err);

/* The attributes of a message after its family header (hdrlen bytes), or of a nested attribute,
 * by type into tb[0..max] (which the caller zeroes); unknown types are skipped. */
int nl_attrs(const struct nlmsghdr *nlh, size_t hdrlen, const struct nlattr **tb, unsigned max);
int nl_attrs_nested(const struct nlattr *nest, const struct nlattr **tb, unsigned max);

#endif
