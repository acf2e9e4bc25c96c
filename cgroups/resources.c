/* linux.resources: each controller's fields go to the hierarchy that owns the controller. */
#include <errno.h>

#include "../base/log.h"
#include "cgroup.h"
#include "internal.h"

/* The JSON path of the first field of controller c that r sets, or NULL when it sets none. */
static const char *memory_field(const struct oci_resources *r) {
    if (!r->memory.present)
        return NULL;
    return r->memory.has_limit                 ? "linux.resources.memory.limit"
           : r->memory.has_reservation         ? "linux.resources.memory.reservation"
           : r->memory.has_swap                ? "linux.resources.memory.swap"
           : r->memory.has_kernel_tcp          ? "linux.resources.memory.kernelTCP"
           : r->memory.has_swappiness          ? "linux.resources.memory.swappiness"
           : r->memory.has_disable_oom_killer  ? "linux.resources.memory.disableOOMKiller"
           : r->memory.has_use_hierarchy       ? "linux.resources.memory.useHierarchy"
           : r->memory.has_check_before_update ? "linux.resources.memory.checkBeforeUpdate"
                                               : NULL;
}

static const char *cpu_field(const struct oci_resources *r) {
    if (!r->cpu.present)
        return NULL;
    return r->cpu.has_shares             ? "linux.resources.cpu.shares"
           : r->cpu.has_quota            ? "linux.resources.cpu.quota"
           : r->cpu.has_period           ? "linux.resources.cpu.period"
           : r->cpu.has_burst            ? "linux.resources.cpu.burst"
           : r->cpu.has_realtime_runtime ? "linux.resources.cpu.realtimeRuntime"
           : r->cpu.has_realtime_period  ? "linux.resources.cpu.realtimePeriod"
           : r->cpu.has_idle             ? "linux.resources.cpu.idle"
                                         : NULL;
}

static const char *cpuset_field(const struct oci_resources *r) {
    if (!r->cpu.present)
        return NULL;
    return r->cpu.cpus ? "linux.resources.cpu.cpus" : r->cpu.mems ? "linux.resources.cpu.mems" : NULL;
}

static const char *block_io_field(const struct oci_resources *r) {
    if (!r->block_io.present)
        return NULL;
    return r->block_io.has_weight              ? "linux.resources.blockIO.weight"
           : r->block_io.has_leaf_weight       ? "linux.resources.blockIO.leafWeight"
           : r->block_io.n_weight_devices      ? "linux.resources.blockIO.weightDevice"
           : r->block_io.n_throttle_read_bps   ? "linux.resources.blockIO.throttleReadBpsDevice"
           : r->block_io.n_throttle_write_bps  ? "linux.resources.blockIO.throttleWriteBpsDevice"
           : r->block_io.n_throttle_read_iops  ? "linux.resources.blockIO.throttleReadIOPSDevice"
           : r->block_io.n_throttle_write_iops ? "linux.resources.blockIO.throttleWriteIOPSDevice"
                                               : NULL;
}

static const char *field_of(const struct oci_resources *r, enum cg_controller c) {
    switch (c) {
    case CG_MEMORY:
        return memory_field(r);
    case CG_CPU:
        return cpu_field(r);
    case CG_CPUSET:
        return cpuset_field(r);
    case CG_PIDS:
        return r->pids.present ? "linux.resources.pids.limit" : NULL;
    case CG_BLKIO:
        return block_io_field(r);
    case CG_HUGETLB:
        return r->n_hugepage_limits ? "linux.resources.hugepageLimits" : NULL;
    case CG_NET_CLS:
        return r->network.present && r->network.has_class_id ? "linux.resources.network.classID" : NULL;
    case CG_NET_PRIO:
        return r->network.present && r->network.n_priorities ? "linux.resources.network.priorities" : NULL;
    case CG_RDMA:
        return r->n_rdma ? "linux.resources.rdma" : NULL;
    default:
        return NULL;
    }
}

static void warn_ignored(const struct cgroup *cg, const struct oci_resources *r) {
    if (r->memory.present && r->memory.has_kernel)
        log_warn("linux.resources.memory.kernel: ignored (kernel memory limits are gone from Linux 6.x)");
    const struct cg_hierarchy *mem = cg_owner(cg, CG_MEMORY);
    if (r->memory.present && r->memory.has_kernel_tcp && mem && mem->ops->version == 2)
        log_warn("linux.resources.memory.kernelTCP: ignored (cgroup v2 has no TCP buffer limit)");
}

static struct cg_hierarchy *unified_of(const struct cgroup *cg) {
    for (size_t i = 0; i < cg->n; i++)
        if (cg->h[i].ops->version == 2)
            return &cg->h[i];
    return NULL;
}

int cgroup_apply(struct cgroup *cg, const struct oci_resources *r, struct error **err) {
    if (!r)
        return 0;
    /* Check every field first, so that nothing is written when one cannot be applied. */
    for (int c = 0; c < CG__COUNT; c++) {
        const char *field = field_of(r, c);
        if (!field)
            continue;
        int rn = cg_no_cgroup(cg, field, err);
        if (rn < 0)
            return rn;
        struct cg_hierarchy *h = cg_owner(cg, c);
        if (!h)
            return error_new(err, ENOTSUP, "%s: no %s controller on this host", field, cg_controller_v1_name(c));
        if (!h->ops->apply)
            return error_new(err, ENOTSUP, "%s: not implemented for cgroup v%d", field, h->ops->version);
    }
    struct cg_hierarchy *unified = unified_of(cg);
    int rn = r->n_unified ? cg_no_cgroup(cg, "linux.resources.unified", err) : 0;
    if (rn < 0)
        return rn;
    if (r->n_unified && (!unified || !unified->ops->apply_unified))
        return error_new(err, ENOTSUP, "linux.resources.unified: this host has no cgroup v2 hierarchy");
    warn_ignored(cg, r);

    /* cpuset before cpu (realtime settings may depend on the cpus), memory early: the order
     * runc uses. */
    static const enum cg_controller order[] = {CG_CPUSET, CG_MEMORY, CG_CPU,     CG_PIDS,     CG_BLKIO,
                                               CG_HUGETLB, CG_NET_CLS, CG_NET_PRIO, CG_RDMA};
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        enum cg_controller c = order[i];
        if (!field_of(r, c))
            continue;
        struct cg_hierarchy *h = cg_owner(cg, c);
        int ret = h->ops->enable ? h->ops->enable(h, c, err) : 0;
        if (ret < 0)
            return error_wrap(err, ret, "%s", field_of(r, c));
        if ((ret = h->ops->apply(h, c, r, err)) < 0)
            return ret;
    }
    if (r->n_unified)
        return unified->ops->apply_unified(unified, r->unified, r->n_unified, err);
    return 0;
}
