/* cgroup v2: linux.resources by controller; the small ones (cpuset, pids, hugetlb, rdma) here,
 * memory, cpu and io in their own files. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v2_internal.h"

static int apply_cpuset(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err) {
    int ret = 0;
    if (r->cpu.cpus && (ret = cg_fs_set(h, "linux.resources.cpu.cpus", "cpuset.cpus", r->cpu.cpus, err)) < 0)
        return ret;
    if (r->cpu.mems && (ret = cg_fs_set(h, "linux.resources.cpu.mems", "cpuset.mems", r->cpu.mems, err)) < 0)
        return ret;
    return 0;
}

static int apply_pids(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err) {
    _cleanup_free_ char *v = r->pids.limit > 0 ? xasprintf("%" PRId64, r->pids.limit) : xstrdup("max");
    return cg_fs_set(h, "linux.resources.pids.limit", "pids.max", v, err);
}

/* hugetlb.<size>.max, and hugetlb.<size>.rsvd.max where the kernel has reservation accounting
 * (the spec prefers it: a reservation that cannot be met fails at mmap, not with a SIGBUS). */
static int apply_hugetlb(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err) {
    for (size_t i = 0; i < r->n_hugepage_limits; i++) {
        const struct oci_hugepage_limit *l = &r->hugepage_limits[i];
        _cleanup_free_ char *field = xasprintf("linux.resources.hugepageLimits[%zu]", i);
        _cleanup_free_ char *max = xasprintf("hugetlb.%s.max", l->page_size);
        _cleanup_free_ char *rsvd = xasprintf("hugetlb.%s.rsvd.max", l->page_size);
        if (!*l->page_size || strchr(l->page_size, '/') || !cg_fs_exists(h, h->path, max))
            return error_new(err, EINVAL, "%s.pageSize: \"%s\": no such huge page size on this host (no %s%s/%s)",
                             field, l->page_size, h->mount_point, h->path, max);
        _cleanup_free_ char *v = xasprintf("%" PRIu64, l->limit);
        int ret = cg_fs_set(h, field, max, v, err);
        if (ret < 0)
            return ret;
        if (cg_fs_exists(h, h->path, rsvd) && (ret = cg_fs_set(h, field, rsvd, v, err)) < 0)
            return ret;
    }
    return 0;
}

static int apply_rdma(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err) {
    for (size_t i = 0; i < r->n_rdma; i++) {
        const struct oci_rdma *d = &r->rdma[i];
        if (!d->has_hca_handles && !d->has_hca_objects)
            continue;
        _cleanup_free_ char *field = xasprintf("linux.resources.rdma.%s", d->device);
        _cleanup_free_ char *handles = d->has_hca_handles ? xasprintf(" hca_handle=%" PRIu32, d->hca_handles) : xstrdup("");
        _cleanup_free_ char *objects = d->has_hca_objects ? xasprintf(" hca_object=%" PRIu32, d->hca_objects) : xstrdup("");
        _cleanup_free_ char *v = xasprintf("%s%s%s", d->device, handles, objects);
        int ret = cg_fs_set(h, field, "rdma.max", v, err);
        if (ret < 0)
            return ret;
    }
    return 0;
}

int cg_v2_apply(struct cg_hierarchy *h, enum cg_controller c, const struct oci_resources *r, struct error **err) {
    switch (c) {
    case CG_MEMORY:
        return r->memory.present ? cg_v2_apply_memory(h, r, err) : 0;
    case CG_CPU:
        return r->cpu.present ? cg_v2_apply_cpu(h, r, err) : 0;
    case CG_CPUSET:
        return r->cpu.present ? apply_cpuset(h, r, err) : 0;
    case CG_PIDS:
        return r->pids.present ? apply_pids(h, r, err) : 0;
    case CG_BLKIO:
        return r->block_io.present ? cg_v2_apply_io(h, r, err) : 0;
    case CG_HUGETLB:
        return apply_hugetlb(h, r, err);
    case CG_RDMA:
        return apply_rdma(h, r, err);
    case CG_NET_CLS:
        return error_new(err, ENOTSUP, "linux.resources.network.classID: cgroup v2 has no net_cls controller");
    case CG_NET_PRIO:
        return error_new(err, ENOTSUP, "linux.resources.network.priorities: cgroup v2 has no net_prio controller");
    default:
        return 0;
    }
}
