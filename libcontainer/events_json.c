/* The JSON of `hull events`: runc's types.Event and types.Stats, field names and omitempty rules
 * included (libcontainer/cgroups and types/events.go in runc). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "../oci/oci.h"
#include "events.h"

/* A JSON object being written: `sep` tells whether a comma goes before the next member. */
struct jw {
    FILE *f;
    bool sep;
};

static void key(struct jw *w, const char *k) {
    _cleanup_free_ char *q = oci_json_quote(k);
    fprintf(w->f, "%s%s:", w->sep ? "," : "", q);
    w->sep = true;
}

static void open_obj(struct jw *w, const char *k) {
    if (k)
        key(w, k);
    fputc('{', w->f);
    w->sep = false;
}

static void close_obj(struct jw *w) {
    fputc('}', w->f);
    w->sep = true;
}

static void u64(struct jw *w, const char *k, uint64_t v) {
    key(w, k);
    fprintf(w->f, "%" PRIu64, v);
}

/* omitempty */
static void u64_opt(struct jw *w, const char *k, uint64_t v) {
    if (v)
        u64(w, k, v);
}

static void cpu_json(struct jw *w, const struct cgroup_stats *st) {
    open_obj(w, "cpu");
    open_obj(w, "usage");
    u64_opt(w, "total", st->cpu.total);
    if (st->cpu.n_percpu) {
        key(w, "percpu");
        fputc('[', w->f);
        for (size_t i = 0; i < st->cpu.n_percpu; i++)
            fprintf(w->f, "%s%" PRIu64, i ? "," : "", st->cpu.percpu[i]);
        fputc(']', w->f);
    }
    u64(w, "kernel", st->cpu.kernel);
    u64(w, "user", st->cpu.user);
    close_obj(w);
    open_obj(w, "throttling");
    u64_opt(w, "periods", st->cpu.periods);
    u64_opt(w, "throttledPeriods", st->cpu.throttled_periods);
    u64_opt(w, "throttledTime", st->cpu.throttled_time);
    close_obj(w);
    close_obj(w);
}

static void memory_entry(struct jw *w, const char *k, const struct cgroup_memory_data *d) {
    open_obj(w, k);
    u64(w, "limit", d->limit);
    u64_opt(w, "usage", d->usage);
    u64_opt(w, "max", d->max);
    u64(w, "failcnt", d->failcnt);
    close_obj(w);
}

static void memory_json(struct jw *w, const struct cgroup_stats *st) {
    open_obj(w, "memory");
    u64_opt(w, "cache", st->memory.cache);
    memory_entry(w, "usage", &st->memory.usage);
    memory_entry(w, "swap", &st->memory.swap);
    memory_entry(w, "kernel", &st->memory.kernel);
    memory_entry(w, "kernelTCP", &st->memory.kernel_tcp);
    if (st->memory.n_raw) {
        open_obj(w, "raw");
        for (size_t i = 0; i < st->memory.n_raw; i++) {
            uint64_t v; /* runc's raw is map[string]uint64: other values are left out */
            if (parse_uint64(st->memory.raw[i].value, &v) == 0)
                u64(w, st->memory.raw[i].key, v);
        }
        close_obj(w);
    }
    close_obj(w);
}

static void blkio_list(struct jw *w, const char *k, const struct cgroup_blkio_entry *e, size_t n) {
    if (!n)
        return;
    key(w, k);
    fputc('[', w->f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', w->f);
        open_obj(w, NULL);
        u64_opt(w, "major", e[i].major);
        u64_opt(w, "minor", e[i].minor);
        if (e[i].op[0]) {
            _cleanup_free_ char *q = oci_json_quote(e[i].op);
            key(w, "op");
            fputs(q, w->f);
        }
        u64_opt(w, "value", e[i].value);
        close_obj(w);
    }
    fputc(']', w->f);
}

static void blkio_hugetlb_json(struct jw *w, const struct cgroup_stats *st) {
    open_obj(w, "blkio");
    blkio_list(w, "ioServiceBytesRecursive", st->blkio.service_bytes, st->blkio.n_service_bytes);
    blkio_list(w, "ioServicedRecursive", st->blkio.serviced, st->blkio.n_serviced);
    close_obj(w);
    open_obj(w, "hugetlb");
    for (size_t i = 0; i < st->n_hugetlb; i++) {
        open_obj(w, st->hugetlb[i].page_size);
        u64_opt(w, "usage", st->hugetlb[i].usage);
        u64_opt(w, "max", st->hugetlb[i].max);
        u64(w, "failcnt", st->hugetlb[i].failcnt);
        close_obj(w);
    }
    close_obj(w);
}

/* {"type":TYPE,"id":ID and then, when st, the data object} */
static char *event_json(const char *type, const char *id, const struct cgroup_stats *st) {
    char *buf = NULL;
    size_t len = 0;
    struct jw w = {.f = open_memstream(&buf, &len)};
    if (!w.f)
        abort();
    _cleanup_free_ char *t = oci_json_quote(type), *i = oci_json_quote(id);
    fprintf(w.f, "{\"type\":%s,\"id\":%s", t, i);
    w.sep = true;
    if (st) {
        open_obj(&w, "data");
        cpu_json(&w, st);
        memory_json(&w, st);
        open_obj(&w, "pids");
        u64_opt(&w, "current", st->pids.current);
        u64_opt(&w, "limit", st->pids.limit);
        close_obj(&w);
        blkio_hugetlb_json(&w, st);
        open_obj(&w, "intel_rdt");
        close_obj(&w);
        key(&w, "network_interfaces");
        fputs("null", w.f);
        close_obj(&w);
    }
    fputc('}', w.f);
    fclose(w.f);
    return buf;
}

char *events_stats_json(const char *id, const struct cgroup_stats *st) {
    return event_json("stats", id, st);
}

char *events_oom_json(const char *id) {
    return event_json("oom", id, NULL);
}
