/* cgroup v1 device rules: devices.deny / devices.allow of the container's devices cgroup. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v1_internal.h"

/* "c 1:3 rwm", "b *:* m", or "a" for a rule over every device. */
static char *rule_text(const struct cgroup_device_rule *d) {
    if (d->type == 'a')
        return xstrdup("a");
    char maj[24] = "*", min[24] = "*";
    if (d->major >= 0)
        snprintf(maj, sizeof(maj), "%" PRId64, d->major);
    if (d->minor >= 0)
        snprintf(min, sizeof(min), "%" PRId64, d->minor);
    return xasprintf("%c %s:%s %s", d->type, maj, min, d->access[0] ? d->access : "rwm");
}

static int check_rule(const struct cgroup_device_rule *d, size_t i, struct error **err) {
    if (d->type != 'a' && d->type != 'c' && d->type != 'b')
        return error_new(err, EINVAL, "device rule %zu: type '%c' is not a, c or b", i, d->type);
    for (const char *a = d->access; *a; a++)
        if (*a != 'r' && *a != 'w' && *a != 'm')
            return error_new(err, EINVAL, "device rule %zu: access \"%s\" is not a subset of rwm", i, d->access);
    return 0;
}

/* Deny everything, then each rule in order: the kernel keeps the exceptions, so the last write
 * about a device decides. */
int v1_set_devices(struct cg_hierarchy *h, const struct cgroup_device_rule *rules, size_t n, struct error **err) {
    for (size_t i = 0; i < n; i++) {
        int r = check_rule(&rules[i], i, err);
        if (r < 0)
            return r;
    }
    int r = cg_fs_write(h, h->path, "devices.deny", "a", err);
    for (size_t i = 0; r >= 0 && i < n; i++) {
        _cleanup_free_ char *text = rule_text(&rules[i]);
        r = cg_fs_write(h, h->path, rules[i].allow ? "devices.allow" : "devices.deny", text, err);
    }
    return r < 0 ? r : 0;
}
