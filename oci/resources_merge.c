/* `hull update` keeps the saved config.json in step with the cgroup: the present fields of a
 * LinuxResources struct are written as JSON, then merged into linux.resources of the document. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* ---------- struct -> JSON (present fields only; devices left out) ---------- */

static void jg_u64(yajl_gen g, const char *key, uint64_t v) {
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%" PRIu64, v);
    jg_key(g, key);
    yajl_gen_number(g, buf, (size_t)n);
}

static void gen_memory(yajl_gen g, const struct oci_resources *r) {
    const typeof(r->memory) *m = &r->memory;
    jg_key(g, "memory");
    yajl_gen_map_open(g);
    if (m->has_limit)
        jg_key_int(g, "limit", m->limit);
    if (m->has_reservation)
        jg_key_int(g, "reservation", m->reservation);
    if (m->has_swap)
        jg_key_int(g, "swap", m->swap);
    if (m->has_kernel)
        jg_key_int(g, "kernel", m->kernel);
    if (m->has_kernel_tcp)
        jg_key_int(g, "kernelTCP", m->kernel_tcp);
    if (m->has_swappiness)
        jg_u64(g, "swappiness", m->swappiness);
    if (m->has_disable_oom_killer)
        jg_key_bool(g, "disableOOMKiller", m->disable_oom_killer);
    if (m->has_use_hierarchy)
        jg_key_bool(g, "useHierarchy", m->use_hierarchy);
    if (m->has_check_before_update)
        jg_key_bool(g, "checkBeforeUpdate", m->check_before_update);
    yajl_gen_map_close(g);
}

static void gen_cpu(yajl_gen g, const struct oci_resources *r) {
    const typeof(r->cpu) *c = &r->cpu;
    jg_key(g, "cpu");
    yajl_gen_map_open(g);
    if (c->has_shares)
        jg_u64(g, "shares", c->shares);
    if (c->has_quota)
        jg_key_int(g, "quota", c->quota);
    if (c->has_burst)
        jg_u64(g, "burst", c->burst);
    if (c->has_period)
        jg_u64(g, "period", c->period);
    if (c->has_realtime_runtime)
        jg_key_int(g, "realtimeRuntime", c->realtime_runtime);
    if (c->has_realtime_period)
        jg_u64(g, "realtimePeriod", c->realtime_period);
    if (c->has_idle)
        jg_key_int(g, "idle", c->idle);
    if (c->cpus)
        jg_key_str(g, "cpus", c->cpus);
    if (c->mems)
        jg_key_str(g, "mems", c->mems);
    yajl_gen_map_close(g);
}

static void gen_throttle(yajl_gen g, const char *key, const struct oci_block_io_throttle *t, size_t n) {
    if (!t)
        return;
    jg_key(g, key);
    yajl_gen_array_open(g);
    for (size_t i = 0; i < n; i++) {
        yajl_gen_map_open(g);
        jg_key_int(g, "major", t[i].major);
        jg_key_int(g, "minor", t[i].minor);
        jg_u64(g, "rate", t[i].rate);
        yajl_gen_map_close(g);
    }
    yajl_gen_array_close(g);
}

static void gen_block_io(yajl_gen g, const struct oci_resources *r) {
    const typeof(r->block_io) *b = &r->block_io;
    jg_key(g, "blockIO");
    yajl_gen_map_open(g);
    if (b->has_weight)
        jg_key_int(g, "weight", b->weight);
    if (b->has_leaf_weight)
        jg_key_int(g, "leafWeight", b->leaf_weight);
    if (b->weight_devices) {
        jg_key(g, "weightDevice");
        yajl_gen_array_open(g);
        for (size_t i = 0; i < b->n_weight_devices; i++) {
            const struct oci_block_io_weight_device *d = &b->weight_devices[i];
            yajl_gen_map_open(g);
            jg_key_int(g, "major", d->major);
            jg_key_int(g, "minor", d->minor);
            if (d->has_weight)
                jg_key_int(g, "weight", d->weight);
            if (d->has_leaf_weight)
                jg_key_int(g, "leafWeight", d->leaf_weight);
            yajl_gen_map_close(g);
        }
        yajl_gen_array_close(g);
    }
    gen_throttle(g, "throttleReadBpsDevice", b->throttle_read_bps, b->n_throttle_read_bps);
    gen_throttle(g, "throttleWriteBpsDevice", b->throttle_write_bps, b->n_throttle_write_bps);
    gen_throttle(g, "throttleReadIOPSDevice", b->throttle_read_iops, b->n_throttle_read_iops);
    gen_throttle(g, "throttleWriteIOPSDevice", b->throttle_write_iops, b->n_throttle_write_iops);
    yajl_gen_map_close(g);
}

static void gen_network(yajl_gen g, const struct oci_resources *r) {
    jg_key(g, "network");
    yajl_gen_map_open(g);
    if (r->network.has_class_id)
        jg_key_int(g, "classID", r->network.class_id);
    if (r->network.priorities) {
        jg_key(g, "priorities");
        yajl_gen_array_open(g);
        for (size_t i = 0; i < r->network.n_priorities; i++) {
            yajl_gen_map_open(g);
            jg_key_str(g, "name", r->network.priorities[i].name);
            jg_key_int(g, "priority", r->network.priorities[i].priority);
            yajl_gen_map_close(g);
        }
        yajl_gen_array_close(g);
    }
    yajl_gen_map_close(g);
}

static void gen_hugepages_rdma_unified(yajl_gen g, const struct oci_resources *r) {
    if (r->hugepage_limits) {
        jg_key(g, "hugepageLimits");
        yajl_gen_array_open(g);
        for (size_t i = 0; i < r->n_hugepage_limits; i++) {
            yajl_gen_map_open(g);
            jg_key_str(g, "pageSize", r->hugepage_limits[i].page_size);
            jg_u64(g, "limit", r->hugepage_limits[i].limit);
            yajl_gen_map_close(g);
        }
        yajl_gen_array_close(g);
    }
    if (r->rdma) {
        jg_key(g, "rdma");
        yajl_gen_map_open(g);
        for (size_t i = 0; i < r->n_rdma; i++) {
            jg_key(g, r->rdma[i].device);
            yajl_gen_map_open(g);
            if (r->rdma[i].has_hca_handles)
                jg_key_int(g, "hcaHandles", r->rdma[i].hca_handles);
            if (r->rdma[i].has_hca_objects)
                jg_key_int(g, "hcaObjects", r->rdma[i].hca_objects);
            yajl_gen_map_close(g);
        }
        yajl_gen_map_close(g);
    }
    if (r->unified) {
        jg_key(g, "unified");
        yajl_gen_map_open(g);
        for (size_t i = 0; i < r->n_unified; i++)
            jg_key_str(g, r->unified[i].key, r->unified[i].value);
        yajl_gen_map_close(g);
    }
}

static char *resources_to_json(const struct oci_resources *r) {
    yajl_gen g = json_gen_new(false);
    yajl_gen_map_open(g);
    if (r->memory.present)
        gen_memory(g, r);
    if (r->cpu.present)
        gen_cpu(g, r);
    if (r->pids.present) {
        jg_key(g, "pids");
        yajl_gen_map_open(g);
        jg_key_int(g, "limit", r->pids.limit);
        yajl_gen_map_close(g);
    }
    if (r->block_io.present)
        gen_block_io(g, r);
    if (r->network.present)
        gen_network(g, r);
    gen_hugepages_rdma_unified(g, r);
    yajl_gen_map_close(g);
    return json_gen_finish(g, false);
}

/* ---------- merging two trees while writing ---------- */

static void emit(yajl_gen g, yajl_val v);

static void emit_object(yajl_gen g, yajl_val v) {
    yajl_gen_map_open(g);
    for (size_t i = 0; i < v->u.object.len; i++) {
        jg_key(g, v->u.object.keys[i]);
        emit(g, v->u.object.values[i]);
    }
    yajl_gen_map_close(g);
}

static void emit(yajl_gen g, yajl_val v) {
    if (YAJL_IS_OBJECT(v)) {
        emit_object(g, v);
    } else if (YAJL_IS_ARRAY(v)) {
        yajl_gen_array_open(g);
        for (size_t i = 0; i < v->u.array.len; i++)
            emit(g, v->u.array.values[i]);
        yajl_gen_array_close(g);
    } else if (YAJL_IS_STRING(v)) {
        jg_str(g, v->u.string);
    } else if (YAJL_IS_NUMBER(v)) {
        yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r));
    } else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)) {
        yajl_gen_bool(g, YAJL_IS_TRUE(v));
    } else {
        yajl_gen_null(g);
    }
}

/* The value of key in obj even when it is null (json_find treats null as absent). */
static yajl_val raw_find(yajl_val obj, const char *key, bool *found) {
    *found = false;
    for (size_t i = 0; YAJL_IS_OBJECT(obj) && i < obj->u.object.len; i++)
        if (!strcmp(obj->u.object.keys[i], key)) {
            *found = true;
            return obj->u.object.values[i];
        }
    return NULL;
}

/* Two array items are the same entry: same pageSize, or same name, or same major and minor. */
static bool same_item(yajl_val a, yajl_val b) {
    if (!YAJL_IS_OBJECT(a) || !YAJL_IS_OBJECT(b))
        return false;
    static const char *const single[] = {"pageSize", "name"};
    for (size_t i = 0; i < 2; i++) {
        yajl_val x = json_find(a, single[i]), y = json_find(b, single[i]);
        if (YAJL_IS_STRING(x) && YAJL_IS_STRING(y))
            return !strcmp(x->u.string, y->u.string);
    }
    yajl_val amaj = json_find(a, "major"), amin = json_find(a, "minor");
    yajl_val bmaj = json_find(b, "major"), bmin = json_find(b, "minor");
    return YAJL_IS_NUMBER(amaj) && YAJL_IS_NUMBER(amin) && YAJL_IS_NUMBER(bmaj) && YAJL_IS_NUMBER(bmin) &&
           !strcmp(amaj->u.number.r, bmaj->u.number.r) && !strcmp(amin->u.number.r, bmin->u.number.r);
}

static void emit_merged(yajl_gen g, yajl_val base, yajl_val upd);

static void emit_merged_array(yajl_gen g, yajl_val base, yajl_val upd) {
    size_t nu = upd->u.array.len;
    bool used[nu ? nu : 1];
    memset(used, 0, sizeof(used));
    yajl_gen_array_open(g);
    for (size_t i = 0; i < base->u.array.len; i++) {
        yajl_val b = base->u.array.values[i], match = NULL;
        for (size_t j = 0; j < nu && !match; j++)
            if (!used[j] && same_item(b, upd->u.array.values[j])) {
                used[j] = true;
                match = upd->u.array.values[j];
            }
        emit_merged(g, b, match);
    }
    for (size_t j = 0; j < nu; j++)
        if (!used[j])
            emit(g, upd->u.array.values[j]);
    yajl_gen_array_close(g);
}

/* An array merges item by item when every update item has an identity. */
static bool mergeable_array(yajl_val upd) {
    for (size_t i = 0; i < upd->u.array.len; i++)
        if (!same_item(upd->u.array.values[i], upd->u.array.values[i]))
            return false;
    return true;
}

static void emit_merged(yajl_gen g, yajl_val base, yajl_val upd) {
    if (!upd) {
        emit(g, base);
    } else if (YAJL_IS_OBJECT(base) && YAJL_IS_OBJECT(upd)) {
        yajl_gen_map_open(g);
        bool found;
        for (size_t i = 0; i < base->u.object.len; i++) {
            jg_key(g, base->u.object.keys[i]);
            emit_merged(g, base->u.object.values[i], raw_find(upd, base->u.object.keys[i], &found));
        }
        for (size_t i = 0; i < upd->u.object.len; i++) {
            raw_find(base, upd->u.object.keys[i], &found);
            if (!found) {
                jg_key(g, upd->u.object.keys[i]);
                emit(g, upd->u.object.values[i]);
            }
        }
        yajl_gen_map_close(g);
    } else if (YAJL_IS_ARRAY(base) && YAJL_IS_ARRAY(upd) && mergeable_array(upd)) {
        emit_merged_array(g, base, upd);
    } else {
        emit(g, upd);
    }
}

int oci_config_merge_resources(const char *config_json, size_t len, const struct oci_resources *r, char **out,
                               struct error **err) {
    yajl_val config = NULL, upd = NULL;
    int ret = json_parse_doc(config_json, len, &config, err);
    if (ret < 0)
        return error_wrap(err, ret, "config.json");
    _cleanup_free_ char *uj = resources_to_json(r);
    ret = json_parse_doc(uj, strlen(uj), &upd, err);
    if (ret < 0) { /* cannot happen: we wrote it */
        yajl_tree_free(config);
        return ret;
    }
    /* {"linux": {"resources": upd}} merged into the whole document */
    const char *lkeys[] = {"resources"}, *rkeys[] = {"linux"};
    yajl_val lvals[] = {upd}, rvals[1];
    struct yajl_val_s lin = {.type = yajl_t_object, .u.object = {lkeys, lvals, 1}};
    rvals[0] = &lin;
    struct yajl_val_s root = {.type = yajl_t_object, .u.object = {rkeys, rvals, 1}};
    yajl_gen g = json_gen_new(true);
    emit_merged(g, config, &root);
    *out = json_gen_finish(g, true);
    yajl_tree_free(upd);
    yajl_tree_free(config);
    return 0;
}
