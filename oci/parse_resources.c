/* linux.resources: every field of the spec (devices, memory, cpu, pids, blockIO, hugepageLimits,
 * network, rdma, unified). */
#include <string.h>

#include "internal.h"

#define I64 INT64_MIN, INT64_MAX

/* Parse each element of obj[key] (an array) with fn into a calloc'ed array of `size`-byte items. */
typedef int (*item_fn)(yajl_val v, const char *path, void *item, struct error **err);
static int parse_items(yajl_val obj, const char *path, const char *key, size_t size, item_fn fn, void **out, size_t *n,
                       struct error **err);
/* ITEMS(obj, path, key, fn, array, count, err): the array is typed, parse_items is not. */
#define ITEMS(obj, path, key, fn, arr, cnt, err)                                                                       \
    ({                                                                                                                 \
        void *p_ = NULL;                                                                                               \
        int r_ = parse_items(obj, path, key, sizeof(*(arr)), fn, &p_, &(cnt), err);                                    \
        if (p_)                                                                                                        \
            (arr) = p_;                                                                                                \
        r_;                                                                                                            \
    })

static int parse_items(yajl_val obj, const char *path, const char *key, size_t size, item_fn fn, void **out, size_t *n,
                       struct error **err) {
    yajl_val a = NULL;
    int r = json_get_array(obj, path, key, false, &a, err);
    if (r < 0 || !a)
        return r;
    _cleanup_free_ char *ap = jpath_key(path, key);
    char *items = xcalloc(a->u.array.len ? a->u.array.len : 1, size);
    *out = items; /* owned by the caller's struct from here on, even on error */
    for (size_t i = 0; i < a->u.array.len; i++) {
        _cleanup_free_ char *pi = jpath_idx(ap, i);
        *n = i + 1;
        yajl_val v = a->u.array.values[i];
        if (!YAJL_IS_OBJECT(v))
            return jerr(err, pi, NULL, "expected an object");
        if ((r = fn(v, pi, items + i * size, err)) < 0)
            return r;
    }
    return 0;
}

static int parse_device_rule(yajl_val v, const char *path, void *item, struct error **err) {
    struct oci_device_cgroup *d = item;
    _cleanup_free_ char *type = NULL;
    int r;
    if ((r = json_get_bool(v, path, "allow", &d->allow, NULL, err)) < 0 ||
        (r = json_get_string(v, path, "type", false, &type, err)) < 0 ||
        (r = json_get_int(v, path, "major", false, I64, &d->major, &d->has_major, err)) < 0 ||
        (r = json_get_int(v, path, "minor", false, I64, &d->minor, &d->has_minor, err)) < 0 ||
        (r = json_get_string(v, path, "access", false, &d->access, err)) < 0)
        return r;
    if (!json_find(v, "allow"))
        return jerr(err, path, "allow", "required");
    d->type = 'a';
    if (type) {
        if (strlen(type) != 1 || !strchr("abc", type[0]))
            return jerr(err, path, "type", "unknown device type \"%s\" (expected a, b or c)", type);
        d->type = type[0];
    }
    if (!d->has_major)
        d->major = -1;
    if (!d->has_minor)
        d->minor = -1;
    if (d->access && strspn(d->access, "rwm") != strlen(d->access))
        return jerr(err, path, "access", "invalid access \"%s\" (expected letters of \"rwm\")", d->access);
    return 0;
}

static int parse_memory(yajl_val res, const char *path, struct oci_resources *rs, struct error **err) {
    yajl_val o = NULL;
    int r = json_get_object(res, path, "memory", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *mp = jpath_key(path, "memory");
    typeof(rs->memory) *m = &rs->memory;
    m->present = true;
    if ((r = json_get_int(o, mp, "limit", false, I64, &m->limit, &m->has_limit, err)) < 0 ||
        (r = json_get_int(o, mp, "reservation", false, I64, &m->reservation, &m->has_reservation, err)) < 0 ||
        (r = json_get_int(o, mp, "swap", false, I64, &m->swap, &m->has_swap, err)) < 0 ||
        (r = json_get_int(o, mp, "kernel", false, I64, &m->kernel, &m->has_kernel, err)) < 0 ||
        (r = json_get_int(o, mp, "kernelTCP", false, I64, &m->kernel_tcp, &m->has_kernel_tcp, err)) < 0 ||
        (r = json_get_u64(o, mp, "swappiness", false, &m->swappiness, &m->has_swappiness, err)) < 0 ||
        (r = json_get_bool(o, mp, "disableOOMKiller", &m->disable_oom_killer, &m->has_disable_oom_killer, err)) < 0 ||
        (r = json_get_bool(o, mp, "useHierarchy", &m->use_hierarchy, &m->has_use_hierarchy, err)) < 0 ||
        (r = json_get_bool(o, mp, "checkBeforeUpdate", &m->check_before_update, &m->has_check_before_update, err)) < 0)
        return r;
    if (m->has_swappiness && m->swappiness > 100)
        return jerr(err, mp, "swappiness", "must be from 0 to 100, got %llu", (unsigned long long)m->swappiness);
    return 0;
}

static int parse_cpu(yajl_val res, const char *path, struct oci_resources *rs, struct error **err) {
    yajl_val o = NULL;
    int r = json_get_object(res, path, "cpu", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *cp = jpath_key(path, "cpu");
    typeof(rs->cpu) *c = &rs->cpu;
    c->present = true;
    if ((r = json_get_u64(o, cp, "shares", false, &c->shares, &c->has_shares, err)) < 0 ||
        (r = json_get_int(o, cp, "quota", false, I64, &c->quota, &c->has_quota, err)) < 0 ||
        (r = json_get_u64(o, cp, "burst", false, &c->burst, &c->has_burst, err)) < 0 ||
        (r = json_get_u64(o, cp, "period", false, &c->period, &c->has_period, err)) < 0 ||
        (r = json_get_int(o, cp, "realtimeRuntime", false, I64, &c->realtime_runtime, &c->has_realtime_runtime, err)) <
            0 ||
        (r = json_get_u64(o, cp, "realtimePeriod", false, &c->realtime_period, &c->has_realtime_period, err)) < 0 ||
        (r = json_get_int(o, cp, "idle", false, I64, &c->idle, &c->has_idle, err)) < 0 ||
        (r = json_get_string(o, cp, "cpus", false, &c->cpus, err)) < 0 ||
        (r = json_get_string(o, cp, "mems", false, &c->mems, err)) < 0)
        return r;
    return 0;
}

static int parse_pids(yajl_val res, const char *path, struct oci_resources *rs, struct error **err) {
    yajl_val o = NULL;
    int r = json_get_object(res, path, "pids", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *pp = jpath_key(path, "pids");
    if ((r = json_get_int(o, pp, "limit", true, I64, &rs->pids.limit, NULL, err)) < 0)
        return r;
    rs->pids.present = true;
    return 0;
}

static int parse_weight_device(yajl_val v, const char *path, void *item, struct error **err) {
    struct oci_block_io_weight_device *d = item;
    int64_t w = 0, lw = 0;
    int r;
    if ((r = json_get_int(v, path, "major", true, I64, &d->major, NULL, err)) < 0 ||
        (r = json_get_int(v, path, "minor", true, I64, &d->minor, NULL, err)) < 0 ||
        (r = json_get_int(v, path, "weight", false, 0, UINT16_MAX, &w, &d->has_weight, err)) < 0 ||
        (r = json_get_int(v, path, "leafWeight", false, 0, UINT16_MAX, &lw, &d->has_leaf_weight, err)) < 0)
        return r;
    d->weight = (uint16_t)w;
    d->leaf_weight = (uint16_t)lw;
    if (!d->has_weight && !d->has_leaf_weight)
        return jerr(err, path, NULL, "at least one of weight and leafWeight is required");
    return 0;
}

static int parse_throttle(yajl_val v, const char *path, void *item, struct error **err) {
    struct oci_block_io_throttle *t = item;
    int r;
    if ((r = json_get_int(v, path, "major", true, I64, &t->major, NULL, err)) < 0 ||
        (r = json_get_int(v, path, "minor", true, I64, &t->minor, NULL, err)) < 0 ||
        (r = json_get_u64(v, path, "rate", true, &t->rate, NULL, err)) < 0)
        return r;
    return 0;
}

static int parse_block_io(yajl_val res, const char *path, struct oci_resources *rs, struct error **err) {
    yajl_val o = NULL;
    int r = json_get_object(res, path, "blockIO", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *bp = jpath_key(path, "blockIO");
    typeof(rs->block_io) *b = &rs->block_io;
    int64_t w = 0, lw = 0;
    b->present = true;
    if ((r = json_get_int(o, bp, "weight", false, 0, UINT16_MAX, &w, &b->has_weight, err)) < 0 ||
        (r = json_get_int(o, bp, "leafWeight", false, 0, UINT16_MAX, &lw, &b->has_leaf_weight, err)) < 0 ||
        (r = ITEMS(o, bp, "weightDevice", parse_weight_device, b->weight_devices, b->n_weight_devices, err)) < 0 ||
        (r = ITEMS(o, bp, "throttleReadBpsDevice", parse_throttle, b->throttle_read_bps, b->n_throttle_read_bps, err)) <
            0 ||
        (r = ITEMS(o, bp, "throttleWriteBpsDevice", parse_throttle, b->throttle_write_bps, b->n_throttle_write_bps,
                   err)) < 0 ||
        (r = ITEMS(o, bp, "throttleReadIOPSDevice", parse_throttle, b->throttle_read_iops, b->n_throttle_read_iops,
                   err)) < 0 ||
        (r = ITEMS(o, bp, "throttleWriteIOPSDevice", parse_throttle, b->throttle_write_iops, b->n_throttle_write_iops,
                   err)) < 0)
        return r;
    b->weight = (uint16_t)w;
    b->leaf_weight = (uint16_t)lw;
    return 0;
}

/* pageSize: ^[1-9][0-9]*[KMG]B$ */
static bool valid_page_size(const char *s) {
    size_t n = strlen(s);
    if (n < 3 || s[0] < '1' || s[0] > '9' || s[n - 1] != 'B' || !strchr("KMG", s[n - 2]))
        return false;
    return strspn(s, "0123456789") == n - 2;
}

static int parse_hugepage(yajl_val v, const char *path, void *item, struct error **err) {
    struct oci_hugepage_limit *h = item;
    int r;
    if ((r = json_get_string(v, path, "pageSize", true, &h->page_size, err)) < 0 ||
        (r = json_get_u64(v, path, "limit", true, &h->limit, NULL, err)) < 0)
        return r;
    if (!valid_page_size(h->page_size))
        return jerr(err, path, "pageSize", "invalid page size \"%s\" (expected e.g. 64KB, 2MB, 1GB)", h->page_size);
    return 0;
}

static int parse_net_priority(yajl_val v, const char *path, void *item, struct error **err) {
    struct oci_net_priority *p = item;
    int r;
    if ((r = json_get_string(v, path, "name", true, &p->name, err)) < 0 ||
        (r = json_get_u32(v, path, "priority", true, &p->priority, NULL, err)) < 0)
        return r;
    return 0;
}

static int parse_network(yajl_val res, const char *path, struct oci_resources *rs, struct error **err) {
    yajl_val o = NULL;
    int r = json_get_object(res, path, "network", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *np = jpath_key(path, "network");
    rs->network.present = true;
    if ((r = json_get_u32(o, np, "classID", false, &rs->network.class_id, &rs->network.has_class_id, err)) < 0 ||
        (r = ITEMS(o, np, "priorities", parse_net_priority, rs->network.priorities, rs->network.n_priorities, err)) < 0)
        return r;
    return 0;
}

static int parse_rdma(yajl_val res, const char *path, struct oci_resources *rs, struct error **err) {
    yajl_val o = NULL;
    int r = json_get_object(res, path, "rdma", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *rp = jpath_key(path, "rdma");
    rs->rdma = xcalloc(o->u.object.len ? o->u.object.len : 1, sizeof(*rs->rdma));
    for (size_t i = 0; i < o->u.object.len; i++) {
        struct oci_rdma *d = &rs->rdma[i];
        rs->n_rdma = i + 1;
        d->device = xstrdup(o->u.object.keys[i]);
        _cleanup_free_ char *dp = jpath_key(rp, d->device);
        yajl_val v = o->u.object.values[i];
        if (!YAJL_IS_OBJECT(v))
            return jerr(err, dp, NULL, "expected an object");
        if ((r = json_get_u32(v, dp, "hcaHandles", false, &d->hca_handles, &d->has_hca_handles, err)) < 0 ||
            (r = json_get_u32(v, dp, "hcaObjects", false, &d->hca_objects, &d->has_hca_objects, err)) < 0)
            return r;
        if (!d->has_hca_handles && !d->has_hca_objects)
            return jerr(err, dp, NULL, "at least one of hcaHandles and hcaObjects is required");
    }
    return 0;
}

int oci_parse_resources(yajl_val v, const char *path, struct oci_resources **out, struct error **err) {
    struct oci_resources *rs = xcalloc(1, sizeof(*rs));
    rs->pids.limit = -1;
    int r;
    if ((r = ITEMS(v, path, "devices", parse_device_rule, rs->devices, rs->n_devices, err)) < 0 ||
        (r = parse_memory(v, path, rs, err)) < 0 || (r = parse_cpu(v, path, rs, err)) < 0 ||
        (r = parse_pids(v, path, rs, err)) < 0 || (r = parse_block_io(v, path, rs, err)) < 0 ||
        (r = ITEMS(v, path, "hugepageLimits", parse_hugepage, rs->hugepage_limits, rs->n_hugepage_limits, err)) < 0 ||
        (r = parse_network(v, path, rs, err)) < 0 || (r = parse_rdma(v, path, rs, err)) < 0 ||
        (r = json_get_string_map(v, path, "unified", &rs->unified, &rs->n_unified, err)) < 0) {
        oci_resources_free(rs);
        return r;
    }
    *out = rs;
    return 0;
}

int oci_resources_parse(const char *json, size_t len, struct oci_resources **out, struct error **err) {
    yajl_val root = NULL;
    int r = json_parse_doc(json, len, &root, err);
    if (r < 0)
        return r;
    r = oci_parse_resources(root, "", out, err);
    yajl_tree_free(root);
    return r;
}
