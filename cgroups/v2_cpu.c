/* cgroup v2 cpu: cpu.weight (from shares), cpu.max (quota and period), cpu.max.burst, cpu.idle. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v2_internal.h"

#define F(name) "linux.resources.cpu." name

uint64_t cg_v2_shares_to_weight(uint64_t shares) {
    if (shares == 0)
        return 0;
    if (shares < 2)
        shares = 2;
    if (shares > 262144)
        shares = 262144;
    return 1 + ((shares - 2) * 9999) / 262142;
}

/* The current cpu.max: quota text ("max" or a number) and period. */
static int read_cpu_max(const struct cg_hierarchy *h, char **quota, uint64_t *period, struct error **err) {
    _cleanup_free_ char *text = NULL;
    int r = cg_fs_read(h, h->path, "cpu.max", &text, err);
    if (r < 0)
        return r;
    char q[32];
    if (sscanf(text, "%31s %" SCNu64, q, period) != 2)
        return error_new(err, EINVAL, "%s%s/cpu.max: unexpected content \"%s\"", h->mount_point, h->path, text);
    *quota = xstrdup(q);
    return 0;
}

/* "QUOTA PERIOD"; the one not given is kept from the current cpu.max.  A quota of 0 is "not set",
 * as in runc (docker update sends quota 0 and period 0 when neither was given). */
static int set_max(const struct cg_hierarchy *h, const struct oci_resources *r, struct error **err) {
    bool quota = r->cpu.has_quota && r->cpu.quota != 0, period = r->cpu.has_period && r->cpu.period != 0;
    if (!quota && !period)
        return 0;
    _cleanup_free_ char *cur_quota = NULL;
    uint64_t cur_period = 0;
    if (!quota || !period) {
        int ret = read_cpu_max(h, &cur_quota, &cur_period, err);
        if (ret < 0)
            return error_wrap(err, ret, "%s", quota ? F("quota") : F("period"));
    }
    _cleanup_free_ char *q = !quota                 ? xstrdup(cur_quota)
                             : r->cpu.quota <= 0    ? xstrdup("max")
                                                    : xasprintf("%" PRId64, r->cpu.quota);
    _cleanup_free_ char *val = xasprintf("%s %" PRIu64, q, period ? r->cpu.period : cur_period);
    return cg_fs_set(h, quota ? F("quota") : F("period"), "cpu.max", val, err);
}

/* The kernel wants burst <= quota: a burst that fits only the new quota is written after it. */
static int set_max_and_burst(const struct cg_hierarchy *h, const struct oci_resources *r, struct error **err) {
    if (!r->cpu.has_burst)
        return set_max(h, r, err);
    _cleanup_free_ char *burst = xasprintf("%" PRIu64, r->cpu.burst);
    bool early = cg_fs_set(h, NULL, "cpu.max.burst", burst, NULL) >= 0;
    int ret = set_max(h, r, err);
    if (ret < 0 || early)
        return ret;
    return cg_fs_set(h, F("burst"), "cpu.max.burst", burst, err);
}

int cg_v2_apply_cpu(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err) {
    if (r->cpu.has_realtime_runtime && r->cpu.realtime_runtime != 0)
        return error_new(err, ENOTSUP, F("realtimeRuntime") ": cgroup v2 has no real-time group scheduling");
    if (r->cpu.has_realtime_period && r->cpu.realtime_period != 0)
        return error_new(err, ENOTSUP, F("realtimePeriod") ": cgroup v2 has no real-time group scheduling");
    int ret;
    if (r->cpu.has_shares && r->cpu.shares != 0) {
        _cleanup_free_ char *w = xasprintf("%" PRIu64, cg_v2_shares_to_weight(r->cpu.shares));
        if ((ret = cg_fs_set(h, F("shares"), "cpu.weight", w, err)) < 0)
            return ret;
    }
    if ((ret = set_max_and_burst(h, r, err)) < 0)
        return ret;
    if (r->cpu.has_idle) {
        _cleanup_free_ char *v = xasprintf("%" PRId64, r->cpu.idle);
        if ((ret = cg_fs_set(h, F("idle"), "cpu.idle", v, err)) < 0)
            return ret;
    }
    return 0;
}
