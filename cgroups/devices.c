/* The device rules every container gets (the same list on v1 and v2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "cgroup.h"

static void push(struct cgroup_device_rule **rules, size_t *n, bool allow, char type, int64_t major,
                 int64_t minor, const char *access) {
    *rules = xrealloc(*rules, (*n + 1) * sizeof(**rules));
    struct cgroup_device_rule *d = &(*rules)[(*n)++];
    *d = (struct cgroup_device_rule){.allow = allow, .type = type, .major = major, .minor = minor};
    snprintf(d->access, sizeof(d->access), "%s", access);
}

/* The OCI default devices (runtime-linux.md "Default Devices"), /dev/console and the pty
 * devices, which every runtime allows. */
static const struct {
    char type;
    int64_t major, minor;
} defaults[] = {
    {'c', 1, 3},  /* null */
    {'c', 1, 5},  /* zero */
    {'c', 1, 7},  /* full */
    {'c', 1, 8},  /* random */
    {'c', 1, 9},  /* urandom */
    {'c', 5, 0},  /* tty */
    {'c', 5, 1},  /* console */
    {'c', 5, 2},  /* ptmx */
    {'c', 136, -1}, /* pts/N */
};

/* The defaults and linux.devices, allowed. */
static void push_allowed(const struct oci_linux *lx, struct cgroup_device_rule **rules, size_t *n) {
    for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
        push(rules, n, true, defaults[i].type, defaults[i].major, defaults[i].minor, "rwm");
    for (size_t i = 0; lx && i < lx->n_devices; i++) {
        const struct oci_device *d = &lx->devices[i];
        if (d->type == 'p')
            continue; /* a fifo is not a device the cgroup controls */
        push(rules, n, true, d->type == 'u' ? 'c' : d->type, d->major, d->minor, "rwm");
    }
}

/* Deny all, allow the defaults and linux.devices, then the spec's rules in order (a later rule
 * wins).  A spec rule that denies one device by type, major and minor takes it away, even a
 * default one; a deny over many devices (a wildcard type, major or minor: the
 * {"allow": false, "access": "rwm"} every engine puts first to start a whitelist) does not take
 * away the defaults and linux.devices: they are allowed again after it, as runc allows them after
 * all the spec's rules. */
void cgroup_device_rules(const struct oci_linux *lx, struct cgroup_device_rule **rules, size_t *n) {
    *rules = NULL;
    *n = 0;
    push(rules, n, false, 'a', -1, -1, "rwm");
    push_allowed(lx, rules, n);
    const struct oci_resources *r = lx ? lx->resources : NULL;
    for (size_t i = 0; r && i < r->n_devices; i++) {
        const struct oci_device_cgroup *d = &r->devices[i];
        char type = d->type ? d->type : 'a';
        bool one_device = type != 'a' && d->has_major && d->major >= 0 && d->has_minor && d->minor >= 0;
        push(rules, n, d->allow, type, d->has_major ? d->major : -1, d->has_minor ? d->minor : -1,
             d->access ? d->access : "rwm");
        if (!d->allow && !one_device)
            push_allowed(lx, rules, n);
    }
}
