/* cgroup v1: one hierarchy per controller set (cpu, memory, name=systemd, ...). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "internal.h"
#include "v1_internal.h"

/* "cpuset.cpus", or "cpus" on a hierarchy mounted with noprefix. */
const char *v1_cpuset_file(const struct cg_hierarchy *h, const char *dir, const char *what) {
    static const char *const prefixed[] = {"cpuset.cpus", "cpuset.mems"};
    static const char *const bare[] = {"cpus", "mems"};
    int i = strcmp(what, "cpus") == 0 ? 0 : 1;
    _cleanup_free_ char *rel = xasprintf("%s/%s", cg_rel(dir), prefixed[i]);
    return faccessat(h->mount_fd, rel, F_OK, 0) == 0 ? prefixed[i] : bare[i];
}

static bool blank(const char *s) {
    return s[strspn(s, " \t\n")] == '\0';
}

static char *parent_of(const char *dir) {
    const char *slash = strrchr(dir, '/');
    return slash == dir ? xstrdup("/") : xstrndup(dir, (size_t)(slash - dir));
}

/* A new cpuset cgroup starts with empty cpus/mems, and a process cannot join it (ENOSPC) until
 * they are set: copy them from the parent, filling an empty parent first (top-down), as runc
 * does.  A parent filled that way may be one hull did not create, but an empty cpuset cgroup
 * holds no process, so setting it takes nothing from anyone. */
static int cpuset_fill(struct cg_hierarchy *h, const char *dir, const char *what, struct error **err) {
    const char *file = v1_cpuset_file(h, dir, what);
    _cleanup_free_ char *value = NULL;
    int r = cg_fs_read(h, dir, file, &value, err);
    if (r < 0 || !blank(value))
        return r;
    if (strcmp(dir, "/") == 0)
        return error_new(err, ENOSPC, "cgroup %s: the root has no %s set", h->mount_point, file);
    _cleanup_free_ char *parent = parent_of(dir);
    if ((r = cpuset_fill(h, parent, what, err)) < 0)
        return r;
    _cleanup_free_ char *v = NULL;
    if ((r = cg_fs_read(h, parent, v1_cpuset_file(h, parent, what), &v, err)) < 0)
        return r;
    return cg_fs_write(h, dir, file, v, err);
}

static int v1_made(struct cg_hierarchy *h, const char *dir, struct error **err) {
    if (!cg_has_controller(h, "cpuset"))
        return 0;
    int r = cpuset_fill(h, dir, "cpus", err);
    return r < 0 ? r : cpuset_fill(h, dir, "mems", err);
}

static int v1_create(struct cg_hierarchy *h, struct error **err) {
    return cg_fs_mkdirs(h, v1_made, err);
}

static int v1_enter(struct cg_hierarchy *h, pid_t pid, struct error **err) {
    return cg_fs_write_procs(h, pid, err);
}

const struct cg_ops cg_v1_ops = {
    .version = 1,
    .create = v1_create,
    .enter = v1_enter,
    .pids = cg_fs_read_pids,
    .destroy = cg_fs_rmdirs,
    .apply = v1_apply,
    .set_devices = v1_set_devices,
    .freeze = v1_freeze,
    .frozen = v1_frozen,
    .stats = v1_stats,
    .oom_fd = v1_oom_fd,
};
