/* cgroup v2 backend: the operations of cg_v2_ops, one file per concern (v2_enable.c,
 * v2_apply.c, v2_memory.c, v2_cpu.c, v2_io.c, v2_unified.c, v2_freeze.c, v2_stats.c), wired
 * together in v2.c.  Only cgroups/v2*.c and the unit test include this. */
#ifndef HULL_CGROUPS_V2_INTERNAL_H
#define HULL_CGROUPS_V2_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "internal.h"

/* v2_enable.c */
/* Whether `name` ("memory", "hugetlb", ...) is a word of h->own's cgroup.controllers. */
bool cg_v2_has_controller(const struct cg_hierarchy *h, const char *name);
bool cg_v2_available(const struct cg_hierarchy *h, enum cg_controller c);
/* Write "+name" into cgroup.subtree_control of every directory from the deepest common ancestor
 * of h->own and h->path (h->own when the container is below it) down to the parent of h->path,
 * where it is not listed yet.  Never the container's own directory. */
int cg_v2_enable_name(struct cg_hierarchy *h, const char *name, struct error **err);
int cg_v2_enable(struct cg_hierarchy *h, enum cg_controller c, struct error **err);

/* v2_apply.c (dispatch by controller) and the controllers with more than a line or two: */
int cg_v2_apply(struct cg_hierarchy *h, enum cg_controller c, const struct oci_resources *r, struct error **err);
int cg_v2_apply_memory(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err);
int cg_v2_apply_cpu(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err);
int cg_v2_apply_io(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err);

/* The conversions from v1 values (runc's): shares 0 → 0 (unset); otherwise clamped to
 * [2, 262144] and mapped onto [1, 10000]. */
uint64_t cg_v2_shares_to_weight(uint64_t shares);
/* blkio weight [10, 1000] (clamped) → io.weight [1, 10000]; 0 → 0. */
uint64_t cg_v2_blkio_to_io_weight(uint64_t weight);
/* runc's ConvertMemorySwapToCgroupV2Value: swap (memory+swap, v1 style) and limit → the value of
 * memory.swap.max; -1 = "max", 0 = leave alone.  -EINVAL when swap < limit or swap is set
 * without a finite limit (then *why says which). */
int cg_v2_swap_value(int64_t swap, int64_t limit, int64_t *out, const char **why);

/* v2_unified.c */
int cg_v2_apply_unified(struct cg_hierarchy *h, const struct oci_key_value *kv, size_t n, struct error **err);

/* v2_freeze.c */
int cg_v2_freeze(struct cg_hierarchy *h, bool frozen, struct error **err);
int cg_v2_frozen(const struct cg_hierarchy *h, bool *frozen, struct error **err);
int cg_v2_kill_all(struct cg_hierarchy *h, struct error **err);
int cg_v2_oom_fd(const struct cg_hierarchy *h, int *fd, struct error **err);

/* v2_stats.c */
int cg_v2_stats(const struct cg_hierarchy *h, enum cg_controller c, struct cgroup_stats *st, struct error **err);

#endif
