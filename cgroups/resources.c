/* linux.resources.  This build places containers in cgroups but applies no limits yet: an
 * absent or empty resources object succeeds, and any limit is refused by name rather than
 * silently ignored. */
#include <errno.h>

#include "cgroup.h"
#include "internal.h"

/* The JSON path of the first limit set in r, or NULL when there is none. */
static const char *first_memory_field(const struct oci_resources *r) {
    if (!r->memory.present)
        return NULL;
    return r->memory.has_limit                ? "linux.resources.memory.limit"
           : r->memory.has_reservation        ? "linux.resources.memory.reservation"
           : r->memory.has_swap               ? "linux.resources.memory.swap"
           : r->memory.has_kernel             ? "linux.resources.memory.kernel"
           : r->memory.has_kernel_tcp         ? "linux.resources.memory.kernelTCP"
           : r->memory.has_swappiness         ? "linux.resources.memory.swappiness"
           : r->memory.has_disable_oom_killer ? "linux.resources.memory.disableOOMKiller"
           : r->memory.has_use_hierarchy      ? "linux.resources.memory.useHierarchy"
           : r->memory.has_check_before_update ? "linux.resources.memory.checkBeforeUpdate"
                                               : NULL;
}

static const char *first_cpu_field(const struct oci_resources *r) {
    if (!r->cpu.present)
        return NULL;
    return r->cpu.has_shares             ? "linux.resources.cpu.shares"
           : r->cpu.has_quota            ? "linux.resources.cpu.quota"
           : r->cpu.has_period           ? "linux.resources.cpu.period"
           : r->cpu.has_burst            ? "linux.resources.cpu.burst"
           : r->cpu.has_realtime_runtime ? "linux.resources.cpu.realtimeRuntime"
           : r->cpu.has_realtime_period  ? "linux.resources.cpu.realtimePeriod"
           : r->cpu.has_idle             ? "linux.resources.cpu.idle"
           : r->cpu.cpus                 ? "linux.resources.cpu.cpus"
           : r->cpu.mems                 ? "linux.resources.cpu.mems"
                                         : NULL;
}

static const char *first_block_io_field(const struct oci_resources *r) {
    if (!r->block_io.present)
        return NULL;
    return r->block_io.has_weight               ? "linux.resources.blockIO.weight"
           : r->block_io.has_leaf_weight        ? "linux.resources.blockIO.leafWeight"
           : r->block_io.n_weight_devices       ? "linux.resources.blockIO.weightDevice"
           : r->block_io.n_throttle_read_bps    ? "linux.resources.blockIO.throttleReadBpsDevice"
           : r->block_io.n_throttle_write_bps   ? "linux.resources.blockIO.throttleWriteBpsDevice"
           : r->block_io.n_throttle_read_iops   ? "linux.resources.blockIO.throttleReadIOPSDevice"
           : r->block_io.n_throttle_write_iops  ? "linux.resources.blockIO.throttleWriteIOPSDevice"
                                                : NULL;
}

static const char *first_set_field(const struct oci_resources *r) {
    const char *f;
    if (r->n_devices)
        return "linux.resources.devices";
    if ((f = first_memory_field(r)) || (f = first_cpu_field(r)))
        return f;
    if (r->pids.present && r->pids.limit > 0)
        return "linux.resources.pids.limit";
    if ((f = first_block_io_field(r)))
        return f;
    if (r->n_hugepage_limits)
        return "linux.resources.hugepageLimits";
    if (r->network.present && r->network.has_class_id)
        return "linux.resources.network.classID";
    if (r->network.present && r->network.n_priorities)
        return "linux.resources.network.priorities";
    if (r->n_rdma)
        return "linux.resources.rdma";
    if (r->n_unified)
        return "linux.resources.unified";
    return NULL;
}

int cgroup_apply(struct cgroup *cg, const struct oci_resources *r, struct error **err) {
    (void)cg;
    const char *field = r ? first_set_field(r) : NULL;
    if (field)
        return error_new(err, ENOTSUP, "%s: resource limits are not supported by this build yet", field);
    return 0;
}
