/* Parsing the network request (see request.h and man/hull-network.7). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "request.h"

#define LABEL_LEN 96

const char *net_request_label(const struct net_request *r, const char *key, char *buf, size_t len) {
    if (r->from_option)
        snprintf(buf, len, "--network%s%s", *key ? " " : "", key);
    else
        snprintf(buf, len, NET_ANNOTATION "%s%s", *key ? "." : "", key);
    return buf;
}

bool net_ifname_valid(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
        return false;
    for (; *s; s++)
        if (*s == '/' || *s == ':' || *s == '%' || isspace((unsigned char)*s))
            return false;
    return true;
}

int net_addr_parse(const char *s, bool needs_prefix, struct net_addr *out) {
    memset(out, 0, sizeof(*out));
    const char *slash = strchr(s, '/');
    if (needs_prefix != (slash != NULL))
        return -EINVAL;
    char ip[INET6_ADDRSTRLEN + 1];
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    if (n == 0 || n >= sizeof(ip))
        return -EINVAL;
    memcpy(ip, s, n);
    ip[n] = '\0';
    if (inet_pton(AF_INET, ip, out->ip) == 1)
        out->family = AF_INET;
    else if (inet_pton(AF_INET6, ip, out->ip) == 1)
        out->family = AF_INET6;
    else
        return -EINVAL;
    unsigned max = out->family == AF_INET ? 32 : 128;
    out->prefix = (unsigned char)max;
    if (slash) {
        uint64_t p;
        /* digits only: parse_uint64 alone would take "+24" */
        if (!isdigit((unsigned char)slash[1]) || parse_uint64(slash + 1, &p) < 0 || p > max)
            return -EINVAL;
        out->prefix = (unsigned char)p;
    }
    return 0;
}

const char *net_addr_format(const struct net_addr *a, bool with_prefix, char *buf) {
    char ip[INET6_ADDRSTRLEN];
    if (!inet_ntop(a->family, a->ip, ip, sizeof(ip)))
        snprintf(ip, sizeof(ip), "?");
    if (with_prefix)
        snprintf(buf, NET_ADDR_STRLEN, "%s/%u", ip, a->prefix);
    else
        snprintf(buf, NET_ADDR_STRLEN, "%s", ip);
    return buf;
}

bool net_addr_same_ip(const struct net_addr *a, const struct net_addr *b) {
    return a->family == b->family && !memcmp(a->ip, b->ip, a->family == AF_INET ? 4 : 16);
}

void net_host_ifname(const char *id, char out[IFNAMSIZ]) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    snprintf(out, IFNAMSIZ, "hv%012llx", (unsigned long long)(h & 0xffffffffffffULL));
}

static int parse_mac(const char *s, unsigned char mac[6]) {
    if (strlen(s) != 17)
        return -EINVAL;
    for (int i = 0; i < 6; i++) {
        const char *p = s + 3 * i;
        if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) || (i < 5 && p[2] != ':'))
            return -EINVAL;
        char hex[3] = {p[0], p[1], '\0'};
        mac[i] = (unsigned char)strtoul(hex, NULL, 16);
    }
    return 0;
}

static void push_addr(struct net_addr **v, size_t *n, const struct net_addr *a) {
    *v = xrealloc(*v, (*n + 1) * sizeof(**v));
    (*v)[(*n)++] = *a;
}

/* The fields one request has seen, for the checks across them. */
struct seen {
    char first_key[LABEL_LEN]; /* the first field other than the mode ("" if none) */
    bool mode_set;
    bool explicit_none;
};

static int set_mode(struct net_request *r, struct seen *s, const char *value, struct error **err) {
    char label[LABEL_LEN];
    net_request_label(r, "", label, sizeof(label));
    if (s->mode_set)
        return error_new(err, EINVAL, "%s: the network is given twice (\"%s\")", label, value);
    s->mode_set = true;
    if (!strcmp(value, "veth")) {
        r->mode = NET_MODE_VETH;
    } else if (!strcmp(value, "none")) {
        r->mode = NET_MODE_NONE;
        s->explicit_none = true;
    } else if (str_has_prefix(value, "bridge=")) {
        const char *name = value + strlen("bridge=");
        if (!net_ifname_valid(name))
            return error_new(err, EINVAL, "%s: \"%s\": invalid bridge name", label, name);
        r->mode = NET_MODE_BRIDGE;
        snprintf(r->bridge, sizeof(r->bridge), "%s", name);
    } else {
        return error_new(err, EINVAL, "%s: \"%s\": expected veth, bridge=NAME or none", label, value);
    }
    return 0;
}

static bool is_list_key(const char *key) {
    return !strcmp(key, "address") || !strcmp(key, "gateway") || !strcmp(key, "host-address");
}

/* One item of one field: a CIDR of a list, or the whole value of a single-valued field. */
static int set_field(struct net_request *r, struct seen *s, const char *key, const char *value, struct error **err) {
    char label[LABEL_LEN];
    net_request_label(r, key, label, sizeof(label));
    if (!*s->first_key)
        snprintf(s->first_key, sizeof(s->first_key), "%s", label);
    if (is_list_key(key)) {
        bool gateway = !strcmp(key, "gateway");
        struct net_addr a;
        if (net_addr_parse(value, !gateway, &a) < 0)
            return error_new(err, EINVAL, "%s: \"%s\": %s", label, value,
                             gateway ? "invalid IP address" : "invalid CIDR");
        if (gateway)
            push_addr(&r->gateways, &r->n_gateways, &a);
        else if (!strcmp(key, "address"))
            push_addr(&r->addresses, &r->n_addresses, &a);
        else
            push_addr(&r->host_addresses, &r->n_host_addresses, &a);
    } else if (!strcmp(key, "ifname")) {
        if (!net_ifname_valid(value) || !strcmp(value, "lo"))
            return error_new(err, EINVAL, "%s: \"%s\": invalid interface name", label, value);
        snprintf(r->ifname, sizeof(r->ifname), "%s", value);
    } else if (!strcmp(key, "mtu")) {
        uint64_t mtu;
        if (!isdigit((unsigned char)*value) || parse_uint64(value, &mtu) < 0 || mtu < 68 || mtu > 65535)
            return error_new(err, EINVAL, "%s: \"%s\": expected an MTU from 68 to 65535", label, value);
        r->mtu = (unsigned)mtu;
    } else if (!strcmp(key, "mac")) {
        if (parse_mac(value, r->mac) < 0)
            return error_new(err, EINVAL, "%s: \"%s\": expected a MAC address like 02:00:00:00:00:01", label, value);
        if (r->mac[0] & 1)
            return error_new(err, EINVAL, "%s: \"%s\": a multicast address", label, value);
        static const unsigned char zero[6];
        if (!memcmp(r->mac, zero, 6))
            return error_new(err, EINVAL, "%s: \"%s\": the all-zero address", label, value);
        r->has_mac = true;
    } else {
        return error_new(err, EINVAL, "%s: unknown network setting (known: address, gateway, host-address, ifname, "
                                      "mtu, mac)", label);
    }
    return 0;
}

/* A list field from an annotation: "10.0.0.2/24, fd00::2/64". */
static int set_list(struct net_request *r, struct seen *s, const char *key, const char *value, struct error **err) {
    _cleanup_free_ char *copy = xstrdup(value);
    char *rest = copy;
    if (!*value) {
        char label[LABEL_LEN];
        return error_new(err, EINVAL, "%s: empty", net_request_label(r, key, label, sizeof(label)));
    }
    for (char *item; (item = strsep(&rest, ","));) {
        while (isspace((unsigned char)*item))
            item++;
        char *end = item + strlen(item);
        while (end > item && isspace((unsigned char)end[-1]))
            *--end = '\0';
        int ret = set_field(r, s, key, item, err);
        if (ret < 0)
            return ret;
    }
    return 0;
}

static int from_annotations(const struct oci_key_value *a, size_t n, struct net_request *r, struct seen *s,
                            struct error **err) {
    const char *prefix = NET_ANNOTATION ".";
    for (size_t i = 0; i < n; i++) {
        const char *k = a[i].key, *v = a[i].value ? a[i].value : "";
        int ret = 0;
        if (!strcmp(k, NET_ANNOTATION))
            ret = set_mode(r, s, v, err);
        else if (!str_has_prefix(k, prefix) || !strcmp(k, NET_ANNOTATION_HOST_IFNAME))
            continue;
        else if (is_list_key(k + strlen(prefix)))
            ret = set_list(r, s, k + strlen(prefix), v, err);
        else
            ret = set_field(r, s, k + strlen(prefix), v, err);
        if (ret < 0)
            return ret;
    }
    return 0;
}

/* --network veth,address=10.0.0.2/24,fd00::2/64,gateway=10.0.0.1: items are key=value; a bare item
 * after a list field adds to it. */
static int from_option(const char *option, struct net_request *r, struct seen *s, struct error **err) {
    _cleanup_free_ char *copy = xstrdup(option);
    char last_list[16] = "";
    char *rest = copy;
    if (!*option)
        return error_new(err, EINVAL, "--network: empty");
    for (char *item; (item = strsep(&rest, ","));) {
        char *eq = strchr(item, '=');
        int ret;
        if (!*item)
            return error_new(err, EINVAL, "--network \"%s\": an empty item", option);
        if (!strcmp(item, "veth") || !strcmp(item, "none") || str_has_prefix(item, "bridge=")) {
            ret = set_mode(r, s, item, err);
            last_list[0] = '\0';
        } else if (eq) {
            *eq = '\0';
            if (!*item)
                return error_new(err, EINVAL, "--network: \"=%s\": an item without a name", eq + 1);
            ret = set_field(r, s, item, eq + 1, err);
            snprintf(last_list, sizeof(last_list), "%s", is_list_key(item) ? item : "");
        } else if (*last_list) {
            ret = set_field(r, s, last_list, item, err);
        } else {
            return error_new(err, EINVAL, "--network: \"%s\": expected veth, bridge=NAME, none or KEY=VALUE", item);
        }
        if (ret < 0)
            return ret;
    }
    return 0;
}

static int check_gateways(struct net_request *r, struct error **err) {
    char label[LABEL_LEN], alabel[LABEL_LEN], buf[NET_ADDR_STRLEN];
    net_request_label(r, "gateway", label, sizeof(label));
    for (size_t i = 0; i < r->n_gateways; i++) {
        const struct net_addr *g = &r->gateways[i];
        for (size_t j = 0; j < i; j++)
            if (r->gateways[j].family == g->family)
                return error_new(err, EINVAL, "%s: more than one %s gateway", label,
                                 g->family == AF_INET ? "IPv4" : "IPv6");
        bool family = false;
        for (size_t j = 0; j < r->n_addresses; j++) {
            family |= r->addresses[j].family == g->family;
            if (net_addr_same_ip(&r->addresses[j], g))
                return error_new(err, EINVAL, "%s: %s is the container's own address", label,
                                 net_addr_format(g, false, buf));
        }
        if (!family)
            return error_new(err, EINVAL, "%s: %s: no %s address of that family to reach it from", label,
                             net_addr_format(g, false, buf), net_request_label(r, "address", alabel, sizeof(alabel)));
    }
    return 0;
}

static int check_request(struct net_request *r, const struct seen *s, struct error **err) {
    char label[LABEL_LEN], buf[NET_ADDR_STRLEN];
    if (r->mode == NET_MODE_NONE) {
        if (*s->first_key && !s->explicit_none)
            return error_new(err, EINVAL, "%s: no network is asked for (%s is veth or bridge=NAME)", s->first_key,
                             net_request_label(r, "", label, sizeof(label)));
        return 0;
    }
    if (!*r->ifname)
        snprintf(r->ifname, sizeof(r->ifname), NET_DEFAULT_IFNAME);
    int ret = check_gateways(r, err);
    if (ret < 0)
        return ret;
    for (size_t i = 0; i < r->n_host_addresses; i++)
        for (size_t j = 0; j < r->n_addresses; j++)
            if (net_addr_same_ip(&r->host_addresses[i], &r->addresses[j]))
                return error_new(err, EINVAL, "%s: %s is also the container's address",
                                 net_request_label(r, "host-address", label, sizeof(label)),
                                 net_addr_format(&r->addresses[j], false, buf));
    for (size_t i = 0; i < r->n_addresses; i++)
        for (size_t j = 0; j < i; j++)
            if (net_addr_same_ip(&r->addresses[i], &r->addresses[j]))
                return error_new(err, EINVAL, "%s: %s is given twice", net_request_label(r, "address", label, sizeof(label)),
                                 net_addr_format(&r->addresses[i], false, buf));
    bool v6 = false;
    for (size_t i = 0; i < r->n_addresses; i++)
        v6 |= r->addresses[i].family == AF_INET6;
    if (v6 && r->mtu && r->mtu < 1280)
        return error_new(err, EINVAL, "%s: %u: IPv6 needs an MTU of at least 1280",
                         net_request_label(r, "mtu", label, sizeof(label)), r->mtu);
    return 0;
}

int net_request_parse(const struct oci_key_value *annotations, size_t n, const char *option,
                      struct net_request *out, struct error **err) {
    memset(out, 0, sizeof(*out));
    out->from_option = option != NULL;
    struct seen s = {0};
    int ret = option ? from_option(option, out, &s, err) : from_annotations(annotations, n, out, &s, err);
    if (ret >= 0)
        ret = check_request(out, &s, err);
    if (ret < 0)
        net_request_free(out);
    return ret;
}

void net_request_free(struct net_request *r) {
    free(r->addresses);
    free(r->gateways);
    free(r->host_addresses);
    bool from_option = r->from_option;
    memset(r, 0, sizeof(*r));
    r->from_option = from_option;
}
