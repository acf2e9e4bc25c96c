/* cgroup v2: cgroup.freeze (waiting for cgroup.events to agree), cgroup.kill, and an inotify
 * watch of memory.events for OOM notifications. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v2_internal.h"

#define FREEZE_TIMEOUT_MS 5000
#define FREEZE_STEP_MAX_MS 50

int cg_v2_frozen(const struct cg_hierarchy *h, bool *frozen, struct error **err) {
    uint64_t v = 0;
    struct error *e = NULL;
    int r = cg_fs_read_key(h, h->path, "cgroup.events", "frozen", &v, &e);
    if (r == -ENOENT && !e)
        r = 0; /* a kernel without the freezer (before 5.2) has no such key: not frozen */
    if (r < 0) {
        if (err && !*err)
            *err = TAKE_PTR(e);
        error_free(e);
        return r;
    }
    *frozen = v == 1;
    return 0;
}

int cg_v2_freeze(struct cg_hierarchy *h, bool frozen, struct error **err) {
    int r = cg_fs_write(h, h->path, "cgroup.freeze", frozen ? "1" : "0", err);
    if (r < 0)
        return r;
    long step = 1;
    for (long waited = 0;; waited += step, step = step * 2 > FREEZE_STEP_MAX_MS ? FREEZE_STEP_MAX_MS : step * 2) {
        bool now = !frozen;
        if ((r = cg_v2_frozen(h, &now, err)) < 0)
            return r;
        if (now == frozen)
            return 0;
        if (waited >= FREEZE_TIMEOUT_MS)
            return error_new(err, ETIMEDOUT, "%s %s%s: cgroup.events still says \"frozen %d\" after %d ms",
                             frozen ? "freeze" : "thaw", h->mount_point, h->path, !frozen, FREEZE_TIMEOUT_MS);
        cg_sleep_ms(step);
    }
}

int cg_v2_kill_all(struct cg_hierarchy *h, struct error **err) {
    if (!cg_fs_exists(h, h->path, "cgroup.kill"))
        return -ENOTSUP; /* before Linux 5.14: the caller signals each process */
    return cg_fs_write(h, h->path, "cgroup.kill", "1", err);
}

int cg_v2_oom_fd(const struct cg_hierarchy *h, int *fd, struct error **err) {
    if (!cg_fs_exists(h, h->path, "memory.events"))
        return -ENOENT; /* the memory controller is not enabled for this cgroup */
    _cleanup_close_ int ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (ifd < 0)
        return error_sys(err, errno, "inotify_init1");
    _cleanup_free_ char *file = xasprintf("%s%s/memory.events", h->mount_point, strcmp(h->path, "/") == 0 ? "" : h->path);
    if (inotify_add_watch(ifd, file, IN_MODIFY) < 0)
        return error_sys(err, errno, "inotify_add_watch %s", file);
    *fd = TAKE_FD(ifd);
    return 0;
}
