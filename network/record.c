/* The "network" file of a state directory: one "key value" per line.
 *   netns 4026531992
 *   host-ifname hv0123456789ab
 *   bridge hullbr0
 *   address 10.199.0.2/24
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "network.h"

unsigned long long net_netns_inode(void) {
    struct stat st;
    return stat("/proc/thread-self/ns/net", &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

char *net_record_format(const struct net_record *r) {
    char *text = xasprintf("netns %llu\n", r->netns);
    if (*r->host_ifname) {
        char *t = xasprintf("%shost-ifname %s\n", text, r->host_ifname);
        free(text);
        text = t;
    }
    if (*r->bridge) {
        char *t = xasprintf("%sbridge %s\n", text, r->bridge);
        free(text);
        text = t;
    }
    for (size_t i = 0; i < r->n_addresses; i++) {
        char buf[NET_ADDR_STRLEN];
        char *t = xasprintf("%saddress %s\n", text, net_addr_format(&r->addresses[i], true, buf));
        free(text);
        text = t;
    }
    return text;
}

int net_record_parse(const char *text, struct net_record *r, struct error **err) {
    memset(r, 0, sizeof(*r));
    _cleanup_free_ char *copy = xstrdup(text);
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *v = strchr(line, ' ');
        if (!v)
            continue;
        *v++ = '\0';
        uint64_t n;
        struct net_addr a;
        if (!strcmp(line, "netns") && parse_uint64(v, &n) == 0)
            r->netns = n;
        else if (!strcmp(line, "host-ifname") && net_ifname_valid(v))
            snprintf(r->host_ifname, sizeof(r->host_ifname), "%s", v);
        else if (!strcmp(line, "bridge") && net_ifname_valid(v))
            snprintf(r->bridge, sizeof(r->bridge), "%s", v);
        else if (!strcmp(line, "address") && net_addr_parse(v, true, &a) == 0) {
            r->addresses = xrealloc(r->addresses, (r->n_addresses + 1) * sizeof(a));
            r->addresses[r->n_addresses++] = a;
        } else {
            net_record_free(r);
            return error_new(err, EIO, "network record: bad line \"%s %s\"", line, v);
        }
    }
    return 0;
}

void net_record_free(struct net_record *r) {
    free(r->addresses);
    memset(r, 0, sizeof(*r));
}
