/* cgroup v2 io: blockIO weights (io.bfq.weight as is where BFQ offers it, else io.weight
 * converted) and throttles (io.max). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v2_internal.h"

#define F(name) "linux.resources.blockIO." name

uint64_t cg_v2_blkio_to_io_weight(uint64_t weight) {
    if (weight == 0)
        return 0;
    if (weight < 10)
        weight = 10;
    if (weight > 1000)
        weight = 1000;
    return 1 + (weight - 10) * 9999 / 990;
}

/* One weight line: prefix "" (the cgroup's default) or "MAJ:MIN ". */
static int set_weight(const struct cg_hierarchy *h, const char *field, const char *prefix, uint64_t w,
                      struct error **err) {
    bool bfq = cg_fs_exists(h, h->path, "io.bfq.weight");
    _cleanup_free_ char *val =
        xasprintf("%s%" PRIu64, prefix, bfq ? w : cg_v2_blkio_to_io_weight(w));
    return cg_fs_set(h, field, bfq ? "io.bfq.weight" : "io.weight", val, err);
}

static int set_weight_devices(const struct cg_hierarchy *h, const struct oci_resources *r, struct error **err) {
    for (size_t i = 0; i < r->block_io.n_weight_devices; i++) {
        const struct oci_block_io_weight_device *d = &r->block_io.weight_devices[i];
        _cleanup_free_ char *field = xasprintf(F("weightDevice[%zu]"), i);
        if (d->has_leaf_weight)
            return error_new(err, ENOTSUP, "%s.leafWeight: cgroup v2 has no leaf weights", field);
        if (!d->has_weight)
            continue;
        _cleanup_free_ char *prefix = xasprintf("%" PRId64 ":%" PRId64 " ", d->major, d->minor);
        int ret = set_weight(h, field, prefix, d->weight, err);
        if (ret < 0)
            return ret;
    }
    return 0;
}

/* io.max "MAJ:MIN KEY=N"; a rate of 0 removes the limit (cgroup v1's meaning), "max" in v2. */
static int set_throttles(const struct cg_hierarchy *h, const char *name, const char *key,
                         const struct oci_block_io_throttle *t, size_t n, struct error **err) {
    for (size_t i = 0; i < n; i++) {
        _cleanup_free_ char *field = xasprintf(F("%s[%zu]"), name, i);
        _cleanup_free_ char *rate = t[i].rate ? xasprintf("%" PRIu64, t[i].rate) : xstrdup("max");
        _cleanup_free_ char *val = xasprintf("%" PRId64 ":%" PRId64 " %s=%s", t[i].major, t[i].minor, key, rate);
        int ret = cg_fs_set(h, field, "io.max", val, err);
        if (ret < 0)
            return ret;
    }
    return 0;
}

int cg_v2_apply_io(struct cg_hierarchy *h, const struct oci_resources *r, struct error **err) {
    const typeof(r->block_io) *b = &r->block_io;
    if (b->has_leaf_weight)
        return error_new(err, ENOTSUP, F("leafWeight") ": cgroup v2 has no leaf weights");
    int ret = 0;
    if (b->has_weight && b->weight != 0 && (ret = set_weight(h, F("weight"), "", b->weight, err)) < 0)
        return ret;
    if ((ret = set_weight_devices(h, r, err)) < 0 ||
        (ret = set_throttles(h, "throttleReadBpsDevice", "rbps", b->throttle_read_bps, b->n_throttle_read_bps, err)) < 0 ||
        (ret = set_throttles(h, "throttleWriteBpsDevice", "wbps", b->throttle_write_bps, b->n_throttle_write_bps, err)) < 0 ||
        (ret = set_throttles(h, "throttleReadIOPSDevice", "riops", b->throttle_read_iops, b->n_throttle_read_iops, err)) < 0)
        return ret;
    return set_throttles(h, "throttleWriteIOPSDevice", "wiops", b->throttle_write_iops, b->n_throttle_write_iops, err);
}
