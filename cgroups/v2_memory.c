/* cgroup v2 memory: memory.max, memory.low, memory.swap.max (runc's conversions and checks). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v2_internal.h"

#define F(name) "linux.resources.memory." name

int cg_v2_swap_value(int64_t swap, int64_t limit, int64_t *out, const char **why) {
    /* Unlimited memory and no swap setting: both unlimited (cgroup v1 compatibility). */
    if (limit == -1 && swap == 0) {
        *out = -1;
        return 0;
    }
    if (swap == -1 || swap == 0) {
        *out = swap;
        return 0;
    }
    if (limit == 0 || limit == -1) {
        *why = "a swap limit needs a memory limit";
        return -EINVAL;
    }
    if (limit < 0 || swap < limit) {
        *why = "memory+swap (swap) must be at least the memory limit";
        return -EINVAL;
    }
    *out = swap - limit;
    return 0;
}

static char *num(int64_t v) {
    return v == -1 ? xstrdup("max") : xasprintf("%" PRId64, v);
}

/* Fields with no cgroup v2 equivalent; the values v2 always has are accepted. */
static int check_unsupported(const struct oci_resources *r, struct error **err) {
    if (r->memory.has_swappiness)
        return error_new(err, ENOTSUP, F("swappiness") ": cgroup v2 has no per-cgroup swappiness");
    if (r->memory.has_disable_oom_killer && r->memory.disable_oom_killer)
        return error_new(err, ENOTSUP, F("disableOOMKiller") ": cgroup v2 cannot disable the OOM killer");
    if (r->memory.has_use_hierarchy && !r->memory.use_hierarchy)
        return error_new(err, ENOTSUP, F("useHierarchy") ": cgroup v2 is always hierarchical");
    return 0;
}

/* checkBeforeUpdate: refuse a limit at or below what the cgroup uses now (cgroup v1 would refuse
 * it with EBUSY; v2 would reclaim or OOM-kill).  An unreadable usage skips the check, as runc. */
static int check_usage(const struct cg_hierarchy *h, const struct oci_resources *r, struct error **err) {
    if (!r->memory.has_check_before_update || !r->memory.check_before_update || !r->memory.has_limit ||
        r->memory.limit <= 0)
        return 0;
    uint64_t usage;
    if (cg_fs_read_u64(h, h->path, "memory.current", &usage, NULL) < 0)
        return 0;
    if (usage >= (uint64_t)r->memory.limit)
        return error_new(err, EBUSY, F("limit") ": %" PRId64 " is not above the current usage %" PRIu64
                                     " (checkBeforeUpdate)", r->memory.limit, usage);
    return 0;
}

/* The limit swap is measured against: the new one, else the cgroup's current memory.max. */
static int effective_limit(const struct cg_hierarchy *h, const struct oci_resources *r, int64_t *limit,
                           struct error **err) {
    if (r->memory.has_limit && r->memory.limit != 0) {
        *limit = r->memory.limit;
        return 0;
    }
    uint64_t cur;
    int ret = cg_fs_read_u64(h, h->path, "memory.max", &cur, err);
    if (ret < 0)
        return error_wrap(err, ret, F("swap"));
    *limit = cur >= (uint64_t)INT64_MAX ? -1 : (int64_t)cur;
    return 0;
}

static int set_swap(const struct cg_hierarchy *h, const struct oci_resources *r, struct error **err) {
    int64_t swap = r->memory.has_swap ? r->memory.swap : 0, limit = 0;
    if (swap > 0) {
        int ret = effective_limit(h, r, &limit, err);
        if (ret < 0)
            return ret;
    } else if (r->memory.has_limit) {
        limit = r->memory.limit;
    }
    int64_t v;
    const char *why = NULL;
    if (cg_v2_swap_value(swap, limit, &v, &why) < 0)
        return error_new(err, EINVAL, F("swap") ": %" PRId64 " with memory limit %" PRId64 ": %s", swap, limit, why);
    if (v == 0 && swap <= 0)
        return 0; /* nothing asked */
    _cleanup_free_ char *val = num(v);
    /* Without swap accounting there is no memory.swap.max: "no swap" and "unlimited" hold anyway. */
    if ((v == -1 || v == 0) && !cg_fs_exists(h, h->path, "memory.swap.max"))
        return 0;
    return cg_fs_set(h, F("swap"), "memory.swap.max", val, err);
}

int cg_v2_apply_memory(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err) {
    int ret = check_unsupported(r, err);
    if (ret < 0 || (ret = check_usage(h, r, err)) < 0)
        return ret;
    if ((ret = set_swap(h, r, err)) < 0)
        return ret;
    if (r->memory.has_limit && r->memory.limit != 0) {
        _cleanup_free_ char *val = num(r->memory.limit);
        if ((ret = cg_fs_set(h, F("limit"), "memory.max", val, err)) < 0)
            return ret;
    }
    if (r->memory.has_reservation && r->memory.reservation != 0) {
        _cleanup_free_ char *val = num(r->memory.reservation);
        if ((ret = cg_fs_set(h, F("reservation"), "memory.low", val, err)) < 0)
            return ret;
    }
    return 0;
}
