/* cgroup v1: linux.resources for blkio, hugetlb, net_cls, net_prio and rdma. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v1_internal.h"

#define BLKIO(f) "linux.resources.blockIO." f

/* ---- blkio ---- */

/* CFQ's blkio.weight where it exists, else BFQ's blkio.bfq.weight (what runc does). */
static bool has_cfq_weight(const struct cg_hierarchy *h) {
    return cg_fs_exists(h, h->path, "blkio.weight");
}

static int blkio_weight_devices(struct cg_hierarchy *h, const struct oci_resources *res, struct error **err) {
    const char *file = has_cfq_weight(h) ? "blkio.weight_device" : "blkio.bfq.weight_device";
    for (size_t i = 0; i < res->block_io.n_weight_devices; i++) {
        const struct oci_block_io_weight_device *d = &res->block_io.weight_devices[i];
        _cleanup_free_ char *field = xasprintf(BLKIO("weightDevice[%zu]"), i);
        int r = 0;
        if (d->has_weight) {
            _cleanup_free_ char *v = xasprintf("%" PRId64 ":%" PRId64 " %u", d->major, d->minor, d->weight);
            r = cg_fs_set(h, field, file, v, err);
        }
        if (r >= 0 && d->has_leaf_weight) {
            _cleanup_free_ char *v = xasprintf("%" PRId64 ":%" PRId64 " %u", d->major, d->minor, d->leaf_weight);
            r = cg_fs_set(h, field, "blkio.leaf_weight_device", v, err);
        }
        if (r < 0)
            return r;
    }
    return 0;
}

static int blkio_throttle(struct cg_hierarchy *h, const char *name, const char *file,
                          const struct oci_block_io_throttle *t, size_t n, struct error **err) {
    for (size_t i = 0; i < n; i++) {
        _cleanup_free_ char *field = xasprintf("linux.resources.blockIO.%s[%zu]", name, i);
        _cleanup_free_ char *v = xasprintf("%" PRId64 ":%" PRId64 " %" PRIu64, t[i].major, t[i].minor, t[i].rate);
        int r = cg_fs_set(h, field, file, v, err);
        if (r < 0)
            return r;
    }
    return 0;
}

int v1_apply_blkio(struct cg_hierarchy *h, const struct oci_resources *res, struct error **err) {
    if (!res->block_io.present)
        return 0;
    int r = 0;
    /* 0 is "not set", as in runc and on v2: docker sends weight 0 when --blkio-weight is not given */
    if (res->block_io.has_weight && res->block_io.weight != 0) {
        _cleanup_free_ char *v = xasprintf("%u", res->block_io.weight);
        r = cg_fs_set(h, BLKIO("weight"), has_cfq_weight(h) ? "blkio.weight" : "blkio.bfq.weight", v, err);
    }
    if (r >= 0 && res->block_io.has_leaf_weight && res->block_io.leaf_weight != 0) {
        _cleanup_free_ char *v = xasprintf("%u", res->block_io.leaf_weight);
        r = cg_fs_set(h, BLKIO("leafWeight"), "blkio.leaf_weight", v, err);
    }
    if (r >= 0)
        r = blkio_weight_devices(h, res, err);
    const struct {
        const char *name, *file;
        const struct oci_block_io_throttle *t;
        size_t n;
    } throttles[] = {
        {"throttleReadBpsDevice", "blkio.throttle.read_bps_device", res->block_io.throttle_read_bps,
         res->block_io.n_throttle_read_bps},
        {"throttleWriteBpsDevice", "blkio.throttle.write_bps_device", res->block_io.throttle_write_bps,
         res->block_io.n_throttle_write_bps},
        {"throttleReadIOPSDevice", "blkio.throttle.read_iops_device", res->block_io.throttle_read_iops,
         res->block_io.n_throttle_read_iops},
        {"throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", res->block_io.throttle_write_iops,
         res->block_io.n_throttle_write_iops},
    };
    for (size_t i = 0; r >= 0 && i < sizeof(throttles) / sizeof(throttles[0]); i++)
        r = blkio_throttle(h, throttles[i].name, throttles[i].file, throttles[i].t, throttles[i].n, err);
    return r;
}

/* ---- hugetlb ---- */

/* "2MB", "64KB", "1GB": digits then letters, nothing that could leave the directory. */
static bool page_size_ok(const char *s) {
    size_t i = 0;
    while (isdigit((unsigned char)s[i]))
        i++;
    if (i == 0 || !s[i])
        return false;
    while (isalpha((unsigned char)s[i]))
        i++;
    return s[i] == '\0';
}

/* hugetlb.<size>.limit_in_bytes, and the reservation limit hugetlb.<size>.rsvd.limit_in_bytes
 * where the kernel has it (the spec prefers reservation accounting). */
int v1_apply_hugetlb(struct cg_hierarchy *h, const struct oci_resources *res, struct error **err) {
    for (size_t i = 0; i < res->n_hugepage_limits; i++) {
        const struct oci_hugepage_limit *l = &res->hugepage_limits[i];
        _cleanup_free_ char *field = xasprintf("linux.resources.hugepageLimits[%zu]", i);
        if (!l->page_size || !page_size_ok(l->page_size))
            return error_new(err, EINVAL, "%s.pageSize: \"%s\" is not a page size like \"2MB\"", field,
                             l->page_size ? l->page_size : "");
        _cleanup_free_ char *file = xasprintf("hugetlb.%s.limit_in_bytes", l->page_size);
        _cleanup_free_ char *rsvd = xasprintf("hugetlb.%s.rsvd.limit_in_bytes", l->page_size);
        _cleanup_free_ char *v = xasprintf("%" PRIu64, l->limit);
        if (!cg_fs_exists(h, h->path, file))
            return error_new(err, ENOTSUP, "%s: page size %s is not supported here (no %s)", field, l->page_size,
                             file);
        int r = cg_fs_set(h, field, file, v, err);
        if (r >= 0 && cg_fs_exists(h, h->path, rsvd))
            r = cg_fs_set(h, field, rsvd, v, err);
        if (r < 0)
            return r;
    }
    return 0;
}

/* ---- net_cls, net_prio, rdma ---- */

int v1_apply_net_cls(struct cg_hierarchy *h, const struct oci_resources *res, struct error **err) {
    if (!res->network.present || !res->network.has_class_id)
        return 0;
    _cleanup_free_ char *v = xasprintf("%" PRIu32, res->network.class_id);
    return cg_fs_set(h, "linux.resources.network.classID", "net_cls.classid", v, err);
}

int v1_apply_net_prio(struct cg_hierarchy *h, const struct oci_resources *res, struct error **err) {
    if (!res->network.present)
        return 0;
    for (size_t i = 0; i < res->network.n_priorities; i++) {
        const struct oci_net_priority *p = &res->network.priorities[i];
        _cleanup_free_ char *field = xasprintf("linux.resources.network.priorities[%zu]", i);
        if (!p->name || !p->name[0] || p->name[strcspn(p->name, " \t\n")])
            return error_new(err, EINVAL, "%s.name: \"%s\" is not an interface name", field, p->name ? p->name : "");
        _cleanup_free_ char *v = xasprintf("%s %" PRIu32, p->name, p->priority);
        int r = cg_fs_set(h, field, "net_prio.ifpriomap", v, err);
        if (r < 0)
            return r;
    }
    return 0;
}

int v1_apply_rdma(struct cg_hierarchy *h, const struct oci_resources *res, struct error **err) {
    for (size_t i = 0; i < res->n_rdma; i++) {
        const struct oci_rdma *d = &res->rdma[i];
        _cleanup_free_ char *field = xasprintf("linux.resources.rdma[%zu]", i);
        if (!d->device || !d->device[0] || d->device[strcspn(d->device, " \t\n")])
            return error_new(err, EINVAL, "%s: \"%s\" is not an RDMA device name", field, d->device ? d->device : "");
        if (!d->has_hca_handles && !d->has_hca_objects)
            continue; /* nothing to limit */
        char handles[32] = "", objects[32] = "";
        if (d->has_hca_handles)
            snprintf(handles, sizeof(handles), " hca_handle=%" PRIu32, d->hca_handles);
        if (d->has_hca_objects)
            snprintf(objects, sizeof(objects), " hca_object=%" PRIu32, d->hca_objects);
        _cleanup_free_ char *v = xasprintf("%s%s%s", d->device, handles, objects);
        int r = cg_fs_set(h, field, "rdma.max", v, err);
        if (r < 0)
            return r;
    }
    return 0;
}
