/* The cgroup v1 backend's parts (v1*.c), joined into cg_v1_ops in v1.c.  Each acts on h->path of
 * one v1 hierarchy; see struct cg_ops in internal.h for the contract. */
#ifndef HULL_CGROUPS_V1_INTERNAL_H
#define HULL_CGROUPS_V1_INTERNAL_H

#include "internal.h"

/* "cpuset.cpus" / "cpuset.mems", or "cpus" / "mems" on a hierarchy mounted with noprefix
 * (what: "cpus" or "mems"). */
const char *v1_cpuset_file(const struct cg_hierarchy *h, const char *dir, const char *what);

/* The "key value" lines of a flat keyed file (memory.stat, cpu.stat, ...) of h->path, as written;
 * free with v1_keyed_free.  Lines without a space are skipped. */
int v1_read_keyed(const struct cg_hierarchy *h, const char *file, struct oci_key_value **kv, size_t *n,
                  struct error **err);
void v1_keyed_free(struct oci_key_value *kv, size_t n);
/* The value of key as a number: 0 when absent; -EINVAL (error naming file and key) when not a number. */
int v1_keyed_u64(const struct cg_hierarchy *h, const char *file, const struct oci_key_value *kv, size_t n,
                 const char *key, uint64_t *out, struct error **err);

int v1_apply(struct cg_hierarchy *h, enum cg_controller c, const struct oci_resources *r, struct error **err);
/* v1_apply_io.c: blkio, hugetlb, net_cls, net_prio, rdma. */
int v1_apply_blkio(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err);
int v1_apply_hugetlb(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err);
int v1_apply_net_cls(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err);
int v1_apply_net_prio(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err);
int v1_apply_rdma(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err);

int v1_set_devices(struct cg_hierarchy *h, const struct cgroup_device_rule *rules, size_t n, struct error **err);

int v1_freeze(struct cg_hierarchy *h, bool frozen, struct error **err);
int v1_frozen(const struct cg_hierarchy *h, bool *frozen, struct error **err);

int v1_stats(const struct cg_hierarchy *h, enum cg_controller c, struct cgroup_stats *st, struct error **err);
/* v1_stats_memory.c */
int v1_stats_memory(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err);
int v1_oom_fd(const struct cg_hierarchy *h, int *fd, struct error **err);

#endif
