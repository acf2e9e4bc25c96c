/* cgroup v1 memory: statistics and the OOM event descriptor. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v1_internal.h"

/* <prefix>usage_in_bytes, max_usage_in_bytes, failcnt, limit_in_bytes ("memory.", "memory.memsw.",
 * "memory.kmem.", "memory.kmem.tcp."); left at 0 when the kernel has no such files (optional). */
static int memory_data(const struct cg_hierarchy *h, const char *prefix, bool optional,
                       struct cgroup_memory_data *d, struct error **err) {
    static const char *const names[] = {"usage_in_bytes", "max_usage_in_bytes", "failcnt", "limit_in_bytes"};
    uint64_t *fields[] = {&d->usage, &d->max, &d->failcnt, &d->limit};
    _cleanup_free_ char *first = xasprintf("%s%s", prefix, names[0]);
    if (optional && !cg_fs_exists(h, h->path, first))
        return 0;
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        _cleanup_free_ char *file = xasprintf("%s%s", prefix, names[i]);
        int r = cg_fs_read_u64(h, h->path, file, fields[i], err);
        if (r < 0)
            return r;
    }
    return 0;
}

/* memory.stat as written (into st, which owns it), and the page cache from it. */
static int memory_stat(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err) {
    v1_keyed_free(st->memory.raw, st->memory.n_raw);
    st->memory.raw = NULL;
    st->memory.n_raw = 0;
    int r = v1_read_keyed(h, "memory.stat", &st->memory.raw, &st->memory.n_raw, err);
    if (r < 0)
        return r;
    const struct oci_key_value *kv = st->memory.raw;
    size_t n = st->memory.n_raw;
    bool has_cache = false;
    for (size_t i = 0; i < n; i++)
        has_cache = has_cache || strcmp(kv[i].key, "cache") == 0;
    return v1_keyed_u64(h, "memory.stat", kv, n, has_cache ? "cache" : "total_cache", &st->memory.cache, err);
}

/* oom_kill from memory.oom_control (0 on kernels before 4.13, which lack the line). */
static int memory_oom_kill(const struct cg_hierarchy *h, uint64_t *out, struct error **err) {
    struct oci_key_value *kv = NULL;
    size_t n = 0;
    int r = v1_read_keyed(h, "memory.oom_control", &kv, &n, err);
    if (r >= 0)
        r = v1_keyed_u64(h, "memory.oom_control", kv, n, "oom_kill", out, err);
    v1_keyed_free(kv, n);
    return r;
}

int v1_stats_memory(const struct cg_hierarchy *h, struct cgroup_stats *st, struct error **err) {
    int r = memory_data(h, "memory.", false, &st->memory.usage, err);
    if (r >= 0)
        r = memory_data(h, "memory.memsw.", true, &st->memory.swap, err);
    if (r >= 0)
        r = memory_data(h, "memory.kmem.", true, &st->memory.kernel, err);
    if (r >= 0)
        r = memory_data(h, "memory.kmem.tcp.", true, &st->memory.kernel_tcp, err);
    if (r >= 0)
        r = memory_stat(h, st, err);
    uint64_t hier = 0;
    if (r >= 0)
        r = cg_fs_read_u64(h, h->path, "memory.use_hierarchy", &hier, err);
    if (r >= 0)
        r = memory_oom_kill(h, &st->memory.oom_kill, err);
    if (r < 0)
        return r;
    st->memory.use_hierarchy = hier == 1;
    st->has_memory = true;
    return 0;
}

/* An eventfd registered through cgroup.event_control on memory.oom_control: it counts each OOM
 * of the cgroup (and fires once more when the cgroup is removed). */
int v1_oom_fd(const struct cg_hierarchy *h, int *fd, struct error **err) {
    _cleanup_close_ int efd = eventfd(0, EFD_CLOEXEC);
    if (efd < 0)
        return error_sys(err, errno, "eventfd");
    _cleanup_free_ char *rel = strcmp(cg_rel(h->path), ".") == 0 ? xstrdup("memory.oom_control")
                                                                 : xasprintf("%s/memory.oom_control", cg_rel(h->path));
    _cleanup_close_ int ofd = openat(h->mount_fd, rel, O_RDONLY | O_CLOEXEC);
    if (ofd < 0)
        return error_sys(err, errno, "open %s%s/memory.oom_control", h->mount_point, h->path);
    char buf[64];
    snprintf(buf, sizeof(buf), "%d %d", efd, ofd);
    int r = cg_fs_write(h, h->path, "cgroup.event_control", buf, err);
    if (r < 0)
        return error_wrap(err, r, "register an OOM eventfd");
    *fd = TAKE_FD(efd);
    return 0;
}
