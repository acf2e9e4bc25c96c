/* cgroup v2 statistics in the shape runc's `events --stats` prints them.  A controller that is
 * available but not enabled for the container has no files there: its part stays empty. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v2_internal.h"

/* The value of key in a flat keyed text ("key value" lines); false when absent or not a number. */
static bool flat_get(const char *text, const char *key, uint64_t *out) {
    size_t klen = strlen(key);
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        if (len > klen && strncmp(line, key, klen) == 0 && line[klen] == ' ') {
            _cleanup_free_ char *v = xstrndup(line + klen + 1, len - klen - 1);
            return parse_uint64(v, out) == 0;
        }
        line += len + (line[len] == '\n');
    }
    return false;
}

/* Read a file of the container's cgroup; *text NULL (and 0) when it does not exist. */
static int read_opt(const struct cg_hierarchy *h, const char *file, char **text, struct error **err) {
    *text = NULL;
    if (!cg_fs_exists(h, h->path, file))
        return 0;
    return cg_fs_read(h, h->path, file, text, err);
}

static int read_u64_opt(const struct cg_hierarchy *h, const char *file, uint64_t *out, struct error **err) {
    return cg_fs_exists(h, h->path, file) ? cg_fs_read_u64(h, h->path, file, out, err) : 0;
}

/* The value of key in a flat keyed file, left alone when the file or the key is missing. */
static int key_opt(const struct cg_hierarchy *h, const char *file, const char *key, uint64_t *out, struct error **err) {
    _cleanup_free_ char *text = NULL;
    int r = read_opt(h, file, &text, err);
    if (r >= 0 && text)
        flat_get(text, key, out);
    return r;
}

static int stats_cpu(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err) {
    _cleanup_free_ char *text = NULL;
    int r = read_opt(h, "cpu.stat", &text, err);
    if (r < 0 || !text)
        return r;
    uint64_t v;
    st->has_cpu = true;
    if (flat_get(text, "usage_usec", &v))
        st->cpu.total = v * 1000;
    if (flat_get(text, "user_usec", &v))
        st->cpu.user = v * 1000;
    if (flat_get(text, "system_usec", &v))
        st->cpu.kernel = v * 1000;
    flat_get(text, "nr_periods", &st->cpu.periods);
    flat_get(text, "nr_throttled", &st->cpu.throttled_periods);
    if (flat_get(text, "throttled_usec", &v))
        st->cpu.throttled_time = v * 1000;
    return 0;
}

/* memory.stat, every line, as written. */
static void memory_raw(const char *text, struct cgroup_stats *st) {
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        const char *sp = memchr(line, ' ', len);
        if (sp) {
            st->memory.raw = xrealloc(st->memory.raw, (st->memory.n_raw + 1) * sizeof(*st->memory.raw));
            st->memory.raw[st->memory.n_raw++] = (struct oci_key_value){
                .key = xstrndup(line, (size_t)(sp - line)),
                .value = xstrndup(sp + 1, len - (size_t)(sp - line) - 1),
            };
        }
        line += len + (line[len] == '\n');
    }
}

/* runc reports swap as memory + swap (cgroup v1's memsw), the limit likewise. */
static int memory_swap(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err) {
    struct cgroup_memory_data *mem = &st->memory.usage, *swap = &st->memory.swap;
    uint64_t cur = 0, max = 0;
    int r = 0;
    if (cg_fs_exists(h, h->path, "memory.swap.current")) {
        if ((r = cg_fs_read_u64(h, h->path, "memory.swap.current", &cur, err)) < 0 ||
            (r = cg_fs_read_u64(h, h->path, "memory.swap.max", &max, err)) < 0 ||
            (r = key_opt(h, "memory.swap.events", "max", &swap->failcnt, err)) < 0)
            return r;
    }
    swap->usage = cur + mem->usage;
    swap->limit = max == UINT64_MAX || mem->limit == UINT64_MAX || max + mem->limit < max ? UINT64_MAX : max + mem->limit;
    return 0;
}

static int stats_memory(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err) {
    if (!cg_fs_exists(h, h->path, "memory.current"))
        return 0;
    struct cgroup_memory_data *mem = &st->memory.usage;
    int r;
    if ((r = cg_fs_read_u64(h, h->path, "memory.current", &mem->usage, err)) < 0 ||
        (r = cg_fs_read_u64(h, h->path, "memory.max", &mem->limit, err)) < 0 ||
        (r = read_u64_opt(h, "memory.peak", &mem->max, err)) < 0 ||
        (r = key_opt(h, "memory.events", "max", &mem->failcnt, err)) < 0 ||
        (r = key_opt(h, "memory.events", "oom_kill", &st->memory.oom_kill, err)) < 0 ||
        (r = memory_swap(h, st, err)) < 0)
        return r;
    _cleanup_free_ char *stat = NULL;
    if ((r = read_opt(h, "memory.stat", &stat, err)) < 0)
        return r;
    if (stat) {
        flat_get(stat, "file", &st->memory.cache);
        memory_raw(stat, st);
    }
    st->memory.use_hierarchy = true;
    st->has_memory = true;
    return 0;
}

static int stats_pids(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err) {
    if (!cg_fs_exists(h, h->path, "pids.current"))
        return 0;
    int r = cg_fs_read_u64(h, h->path, "pids.current", &st->pids.current, err);
    if (r < 0 || (r = read_u64_opt(h, "pids.max", &st->pids.limit, err)) < 0)
        return r;
    if (st->pids.limit == UINT64_MAX)
        st->pids.limit = 0;
    st->has_pids = true;
    return 0;
}

static void blkio_push(struct cgroup_blkio_entry **v, size_t *n, uint64_t major, uint64_t minor, const char *op,
                       uint64_t value) {
    *v = xrealloc(*v, (*n + 1) * sizeof(**v));
    struct cgroup_blkio_entry *e = &(*v)[(*n)++];
    *e = (struct cgroup_blkio_entry){.major = major, .minor = minor, .value = value};
    snprintf(e->op, sizeof(e->op), "%s", op);
}

/* One io.stat line: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=5 dios=6". */
static void blkio_line(char *line, struct cgroup_stats *st) {
    static const struct {
        const char *key, *op;
        bool bytes;
    } map[] = {{"rbytes", "Read", true}, {"wbytes", "Write", true}, {"dbytes", "Discard", true},
               {"rios", "Read", false},  {"wios", "Write", false},  {"dios", "Discard", false}};
    uint64_t major, minor;
    char *save = NULL, *tok = strtok_r(line, " ", &save);
    if (!tok || sscanf(tok, "%" SCNu64 ":%" SCNu64, &major, &minor) != 2)
        return;
    while ((tok = strtok_r(NULL, " ", &save))) {
        char *eq = strchr(tok, '=');
        uint64_t v;
        if (!eq)
            continue;
        *eq = '\0';
        if (parse_uint64(eq + 1, &v) < 0)
            continue;
        for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
            if (strcmp(tok, map[i].key) != 0)
                continue;
            if (map[i].bytes)
                blkio_push(&st->blkio.service_bytes, &st->blkio.n_service_bytes, major, minor, map[i].op, v);
            else
                blkio_push(&st->blkio.serviced, &st->blkio.n_serviced, major, minor, map[i].op, v);
        }
    }
}

static int stats_io(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err) {
    _cleanup_free_ char *text = NULL;
    int r = read_opt(h, "io.stat", &text, err);
    if (r < 0 || !text)
        return r;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        blkio_line(line, st);
    st->has_blkio = true;
    return 0;
}

/* One page size; usage from the reservation counter where there is one, as runc. */
static int hugetlb_one(const struct cg_hierarchy *h, const char *size, struct cgroup_stats *st, struct error **err) {
    struct cgroup_hugetlb_stats s = {0};
    snprintf(s.page_size, sizeof(s.page_size), "%s", size);
    _cleanup_free_ char *rsvd = xasprintf("hugetlb.%s.rsvd.current", size);
    _cleanup_free_ char *cur = xasprintf("hugetlb.%s.current", size);
    _cleanup_free_ char *events = xasprintf("hugetlb.%s.events", size);
    int r = read_u64_opt(h, cg_fs_exists(h, h->path, rsvd) ? rsvd : cur, &s.usage, err);
    if (r < 0 || (r = key_opt(h, events, "max", &s.failcnt, err)) < 0)
        return r;
    st->hugetlb = xrealloc(st->hugetlb, (st->n_hugetlb + 1) * sizeof(*st->hugetlb));
    st->hugetlb[st->n_hugetlb++] = s;
    return 0;
}

/* Page sizes from the files present: hugetlb.<size>.max (not .rsvd.max). */
static int stats_hugetlb(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err) {
    int fd = openat(h->mount_fd, cg_rel(h->path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return error_sys(err, errno, "open %s%s", h->mount_point, h->path);
    _cleanup_closedir_ DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return error_sys(err, errno, "fdopendir %s%s", h->mount_point, h->path);
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        size_t len = strlen(n);
        if (!str_has_prefix(n, "hugetlb.") || len < 13 || strcmp(n + len - 4, ".max") != 0 ||
            (len >= 9 && strcmp(n + len - 9, ".rsvd.max") == 0))
            continue;
        _cleanup_free_ char *size = xstrndup(n + 8, len - 12);
        if (strlen(size) >= sizeof(st->hugetlb[0].page_size) || strchr(size, '.'))
            continue;
        int r = hugetlb_one(h, size, st, err);
        if (r < 0)
            return r;
    }
    return 0;
}

int cg_v2_stats(const struct cg_hierarchy *h, enum cg_controller c, struct cgroup_stats *st, struct error **err) {
    switch (c) {
    case CG_CPU:
    case CG_CPUACCT:
        return stats_cpu(h, st, err);
    case CG_MEMORY:
        return stats_memory(h, st, err);
    case CG_PIDS:
        return stats_pids(h, st, err);
    case CG_BLKIO:
        return stats_io(h, st, err);
    case CG_HUGETLB:
        return stats_hugetlb(h, st, err);
    default:
        return 0;
    }
}
