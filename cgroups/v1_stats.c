/* cgroup v1 statistics: cpu, cpuacct, pids, blkio, hugetlb (memory in v1_stats_memory.c), in the
 * shape of struct cgroup_stats. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v1_internal.h"

#define NSEC_PER_SEC 1000000000ULL

void v1_keyed_free(struct oci_key_value *kv, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(kv[i].key);
        free(kv[i].value);
    }
    free(kv);
}

int v1_read_keyed(const struct cg_hierarchy *h, const char *file, struct oci_key_value **kv, size_t *n,
                  struct error **err) {
    _cleanup_free_ char *text = NULL;
    int r = cg_fs_read(h, h->path, file, &text, err);
    if (r < 0)
        return r;
    *kv = NULL;
    *n = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *sp = strchr(line, ' ');
        if (!sp)
            continue;
        *kv = xrealloc(*kv, (*n + 1) * sizeof(**kv));
        (*kv)[(*n)++] = (struct oci_key_value){.key = xstrndup(line, (size_t)(sp - line)), .value = xstrdup(sp + 1)};
    }
    return 0;
}

int v1_keyed_u64(const struct cg_hierarchy *h, const char *file, const struct oci_key_value *kv, size_t n,
                 const char *key, uint64_t *out, struct error **err) {
    *out = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(kv[i].key, key) != 0)
            continue;
        if (parse_uint64(kv[i].value, out) < 0)
            return error_new(err, EINVAL, "%s%s/%s: %s: not a number: \"%s\"", h->mount_point, h->path, file, key,
                             kv[i].value);
        return 0;
    }
    return 0;
}

/* ---- cpu, cpuacct ---- */

/* "123 456 ..." → the numbers. */
static int parse_percpu(const struct cg_hierarchy *h, const char *text, uint64_t **out, size_t *n,
                        struct error **err) {
    _cleanup_free_ char *copy = xstrdup(text);
    char *save = NULL;
    for (char *w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
        uint64_t v;
        if (parse_uint64(w, &v) < 0)
            return error_new(err, EINVAL, "%s%s/cpuacct.usage_percpu: not a number: \"%s\"", h->mount_point,
                             h->path, w);
        *out = xrealloc(*out, (*n + 1) * sizeof(**out));
        (*out)[(*n)++] = v;
    }
    return 0;
}

/* cpuacct.usage (ns), cpuacct.usage_percpu (ns), cpuacct.stat user/system (USER_HZ ticks). */
static int stats_cpuacct(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err) {
    int r = cg_fs_read_u64(h, h->path, "cpuacct.usage", &st->cpu.total, err);
    _cleanup_free_ char *percpu = NULL;
    if (r >= 0)
        r = cg_fs_read(h, h->path, "cpuacct.usage_percpu", &percpu, err);
    free(st->cpu.percpu);
    st->cpu.percpu = NULL;
    st->cpu.n_percpu = 0;
    if (r >= 0)
        r = parse_percpu(h, percpu, &st->cpu.percpu, &st->cpu.n_percpu, err);
    struct oci_key_value *kv = NULL;
    size_t n = 0;
    if (r >= 0)
        r = v1_read_keyed(h, "cpuacct.stat", &kv, &n, err);
    uint64_t user = 0, system = 0;
    if (r >= 0)
        r = v1_keyed_u64(h, "cpuacct.stat", kv, n, "user", &user, err);
    if (r >= 0)
        r = v1_keyed_u64(h, "cpuacct.stat", kv, n, "system", &system, err);
    v1_keyed_free(kv, n);
    if (r < 0)
        return r;
    long hz = sysconf(_SC_CLK_TCK);
    uint64_t tick_ns = NSEC_PER_SEC / (uint64_t)(hz > 0 ? hz : 100);
    st->cpu.user = user * tick_ns;
    st->cpu.kernel = system * tick_ns;
    st->has_cpu = true;
    return 0;
}

static int stats_cpu(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err) {
    struct oci_key_value *kv = NULL;
    size_t n = 0;
    int r = v1_read_keyed(h, "cpu.stat", &kv, &n, err);
    if (r >= 0)
        r = v1_keyed_u64(h, "cpu.stat", kv, n, "nr_periods", &st->cpu.periods, err);
    if (r >= 0)
        r = v1_keyed_u64(h, "cpu.stat", kv, n, "nr_throttled", &st->cpu.throttled_periods, err);
    if (r >= 0)
        r = v1_keyed_u64(h, "cpu.stat", kv, n, "throttled_time", &st->cpu.throttled_time, err);
    v1_keyed_free(kv, n);
    if (r >= 0)
        st->has_cpu = true;
    return r;
}

/* ---- pids ---- */

static int stats_pids(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err) {
    int r = cg_fs_read_u64(h, h->path, "pids.current", &st->pids.current, err);
    if (r >= 0)
        r = cg_fs_read_u64(h, h->path, "pids.max", &st->pids.limit, err);
    if (r < 0)
        return r;
    if (st->pids.limit == UINT64_MAX)
        st->pids.limit = 0;
    st->has_pids = true;
    return 0;
}

/* ---- blkio ---- */

/* "MAJ:MIN Op value" lines; the "Total N" summary (no device) is skipped. */
static int parse_blkio(const struct cg_hierarchy *h, const char *file, struct cgroup_blkio_entry **out, size_t *n,
                       struct error **err) {
    _cleanup_free_ char *text = NULL;
    int r = cg_fs_read(h, h->path, file, &text, err);
    if (r < 0)
        return r;
    free(*out);
    *out = NULL;
    *n = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        struct cgroup_blkio_entry e = {0};
        if (sscanf(line, "%" SCNu64 ":%" SCNu64 " %15s %" SCNu64, &e.major, &e.minor, e.op, &e.value) != 4)
            continue;
        *out = xrealloc(*out, (*n + 1) * sizeof(**out));
        (*out)[(*n)++] = e;
    }
    return 0;
}

static int stats_blkio(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err) {
    int r = parse_blkio(h, "blkio.throttle.io_service_bytes_recursive", &st->blkio.service_bytes,
                        &st->blkio.n_service_bytes, err);
    if (r >= 0)
        r = parse_blkio(h, "blkio.throttle.io_serviced_recursive", &st->blkio.serviced, &st->blkio.n_serviced, err);
    if (r >= 0)
        st->has_blkio = true;
    return r;
}

/* ---- hugetlb ---- */

/* The page size of a "hugetlb.<size>.usage_in_bytes" file name (not the .rsvd. ones), or NULL. */
static char *hugetlb_size(const char *name) {
    static const char prefix[] = "hugetlb.", suffix[] = ".usage_in_bytes";
    size_t len = strlen(name), pl = sizeof(prefix) - 1, sl = sizeof(suffix) - 1;
    if (len <= pl + sl || strncmp(name, prefix, pl) != 0 || strcmp(name + len - sl, suffix) != 0)
        return NULL;
    char *size = xstrndup(name + pl, len - pl - sl);
    if (strchr(size, '.') || strlen(size) >= sizeof(((struct cgroup_hugetlb_stats *)0)->page_size)) {
        free(size);
        return NULL;
    }
    return size;
}

static int hugetlb_one(const struct cg_hierarchy *h, const char *size, struct cgroup_hugetlb_stats *s,
                       struct error **err) {
    snprintf(s->page_size, sizeof(s->page_size), "%s", size);
    _cleanup_free_ char *usage = xasprintf("hugetlb.%s.usage_in_bytes", size);
    _cleanup_free_ char *max = xasprintf("hugetlb.%s.max_usage_in_bytes", size);
    _cleanup_free_ char *failcnt = xasprintf("hugetlb.%s.failcnt", size);
    int r = cg_fs_read_u64(h, h->path, usage, &s->usage, err);
    if (r >= 0)
        r = cg_fs_read_u64(h, h->path, max, &s->max, err);
    if (r >= 0)
        r = cg_fs_read_u64(h, h->path, failcnt, &s->failcnt, err);
    return r;
}

static int by_page_size(const void *a, const void *b) {
    return strcmp(((const struct cgroup_hugetlb_stats *)a)->page_size,
                  ((const struct cgroup_hugetlb_stats *)b)->page_size);
}

static int stats_hugetlb(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err) {
    int fd = openat(h->mount_fd, cg_rel(h->path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    _cleanup_closedir_ DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return error_sys(err, e, "open %s%s", h->mount_point, h->path);
    }
    free(st->hugetlb);
    st->hugetlb = NULL;
    st->n_hugetlb = 0;
    for (struct dirent *de; (de = readdir(d));) {
        _cleanup_free_ char *size = hugetlb_size(de->d_name);
        if (!size)
            continue;
        st->hugetlb = xrealloc(st->hugetlb, (st->n_hugetlb + 1) * sizeof(*st->hugetlb));
        struct cgroup_hugetlb_stats *s = &st->hugetlb[st->n_hugetlb++];
        *s = (struct cgroup_hugetlb_stats){0};
        int r = hugetlb_one(h, size, s, err);
        if (r < 0)
            return r;
    }
    if (st->n_hugetlb)
        qsort(st->hugetlb, st->n_hugetlb, sizeof(*st->hugetlb), by_page_size);
    return 0;
}

int v1_stats(const struct cg_hierarchy *h, enum cg_controller c, struct cgroup_stats *st, struct error **err) {
    switch (c) {
    case CG_CPU:
        return stats_cpu(h, st, err);
    case CG_CPUACCT:
        return stats_cpuacct(h, st, err);
    case CG_MEMORY:
        return v1_stats_memory(h, st, err);
    case CG_PIDS:
        return stats_pids(h, st, err);
    case CG_BLKIO:
        return stats_blkio(h, st, err);
    case CG_HUGETLB:
        return stats_hugetlb(h, st, err);
    default:
        return 0; /* nothing to report for this controller */
    }
}
