/* The cgroup object: a set of hierarchies, each driven by its version's operations table. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "cgroup.h"
#include "internal.h"

void cg_hierarchy_clear(struct cg_hierarchy *h) {
    free(h->mount_point);
    free(h->controllers);
    free(h->own);
    free(h->path);
    strv_free(h->created);
    if (h->mount_fd >= 0)
        close(h->mount_fd);
    *h = (struct cg_hierarchy){.mount_fd = -1};
}

void cgroup_free(struct cgroup *cg) {
    if (!cg)
        return;
    for (size_t i = 0; i < cg->n; i++)
        cg_hierarchy_clear(&cg->h[i]);
    free(cg->h);
    if (cg->v2_fd >= 0)
        close(cg->v2_fd);
    free(cg);
}

int cg_open_mount(struct cg_hierarchy *h, struct error **err) {
    h->mount_fd = open(h->mount_point, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (h->mount_fd < 0)
        return error_sys(err, errno, "open cgroup hierarchy %s", h->mount_point);
    return 0;
}

/* The container's path in each hierarchy; never the caller's own cgroup or an ancestor of it
 * (entering or limiting that would act on the runtime itself and whatever supervises it). */
static int compute_paths(struct cgroup *cg, const char *cgroups_path, const char *id, struct error **err) {
    for (size_t i = 0; i < cg->n; i++) {
        struct cg_hierarchy *h = &cg->h[i];
        int r = cg_compute_path(cgroups_path, id, h->own, &h->path, err);
        if (r < 0)
            return r;
        if (cg_path_contains(h->path, h->own))
            return error_new(err, EINVAL,
                             "linux.cgroupsPath: \"%s\" resolves to %s%s, the runtime's own cgroup or one of its "
                             "ancestors",
                             cgroups_path, h->mount_point, h->path);
    }
    return 0;
}

int cg_open_v2_dir(struct cgroup *cg, bool missing_ok, struct error **err) {
    if (cg->layout != CGROUP_LAYOUT_UNIFIED)
        return 0;
    const struct cg_hierarchy *h = &cg->h[0];
    cg->v2_fd = openat(h->mount_fd, cg_rel(h->path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cg->v2_fd < 0 && !(missing_ok && errno == ENOENT))
        return error_sys(err, errno, "open %s%s", h->mount_point, h->path);
    return 0;
}

/* On a pure v2 host, turn on the controllers engines read statistics from (as runc does, which
 * enables every available one), so `events --stats` has cpu, memory, pids and io figures for a
 * container without limits.  Best effort: a controller that cannot be enabled (the caller's
 * cgroup holds processes) is only needed when a limit asks for it, and then cgroup_apply fails
 * by name. */
static void enable_stat_controllers(struct cgroup *cg) {
    if (cg->layout != CGROUP_LAYOUT_UNIFIED)
        return;
    static const enum cg_controller which[] = {CG_CPU, CG_MEMORY, CG_PIDS, CG_BLKIO};
    struct cg_hierarchy *h = &cg->h[0];
    for (size_t i = 0; i < sizeof(which) / sizeof(which[0]); i++) {
        if (!h->ops->available || !h->ops->available(h, which[i]))
            continue;
        struct error *e = NULL;
        if (h->ops->enable(h, which[i], &e) < 0) {
            log_debug("cgroup: %s not enabled: %s", cg_controller_v2_name(which[i]), e->msg);
            error_free(e);
        }
    }
}

static int make_dirs(struct cgroup *cg, struct error **err) {
    for (size_t i = 0; i < cg->n; i++) {
        int r = cg_open_mount(&cg->h[i], err);
        if (r < 0)
            return r;
        r = cg->h[i].ops->create(&cg->h[i], err);
        if (r < 0)
            return r;
    }
    enable_stat_controllers(cg);
    return cg_open_v2_dir(cg, false, err);
}

int cg_create_from(struct cg_hierarchy *h, size_t n, const char *cgroups_path, const char *id,
                   struct cgroup **out, struct error **err) {
    struct cgroup *cg = xcalloc(1, sizeof(*cg));
    cg->h = h;
    cg->n = n;
    cg->layout = cg_layout_of(h, n);
    cg->v2_fd = -1;
    int r = compute_paths(cg, cgroups_path, id, err);
    if (r >= 0)
        r = make_dirs(cg, err);
    if (r < 0) {
        for (size_t i = 0; i < cg->n; i++)
            if (cg->h[i].mount_fd >= 0)
                cg->h[i].ops->destroy(&cg->h[i], NULL);
        cgroup_free(cg);
        return r;
    }
    *out = cg;
    return 0;
}

int cgroup_create(const char *cgroups_path, const char *id, struct cgroup **out, struct error **err) {
    _cleanup_free_ char *mountinfo = NULL, *self = NULL;
    int r = read_file("/proc/self/mountinfo", &mountinfo, NULL, err);
    if (r < 0)
        return r;
    r = read_file("/proc/self/cgroup", &self, NULL, err);
    if (r < 0)
        return r;
    struct cg_hierarchy *h = NULL;
    size_t n = 0;
    enum cgroup_layout layout;
    r = cg_detect(mountinfo, self, &h, &n, &layout, err);
    if (r < 0)
        return r;
    return cg_create_from(h, n, cgroups_path, id, out, err);
}

void cgroup_create_none(struct cgroup **out) {
    struct cgroup *cg = xcalloc(1, sizeof(*cg));
    cg->layout = CGROUP_LAYOUT_NONE;
    cg->v2_fd = -1;
    *out = cg;
}

int cg_no_cgroup(const struct cgroup *cg, const char *what, struct error **err) {
    if (cg->layout != CGROUP_LAYOUT_NONE)
        return 0;
    return error_new(err, ENOTSUP, "%s: the container has no cgroup of its own (created with --cgroup-manager disabled)",
                     what);
}

enum cgroup_layout cgroup_layout(const struct cgroup *cg) {
    return cg->layout;
}

int cgroup_v2_fd(const struct cgroup *cg) {
    return cg->v2_fd;
}

int cgroup_enter(struct cgroup *cg, pid_t pid, bool skip_v2, struct error **err) {
    for (size_t i = 0; i < cg->n; i++) {
        if (skip_v2 && cg->h[i].ops->version == 2)
            continue;
        int r = cg->h[i].ops->enter(&cg->h[i], pid, err);
        if (r < 0)
            return r;
    }
    return 0;
}

int cgroup_pids(const struct cgroup *cg, pid_t **pids, size_t *n, struct error **err) {
    _cleanup_error_ struct error *first = NULL;
    int ret = cg_no_cgroup(cg, "processes", err);
    if (ret < 0)
        return ret;
    for (size_t i = 0; i < cg->n; i++) {
        struct error *e = NULL;
        int r = cg->h[i].ops->pids(&cg->h[i], pids, n, &e);
        if (r >= 0)
            return r;
        if (!first) {
            first = e;
            ret = r;
        } else {
            error_free(e);
        }
    }
    if (!first)
        return error_new(err, ENOENT, "cgroup has no hierarchy");
    if (err && !*err)
        *err = TAKE_PTR(first);
    return ret;
}

int cgroup_destroy(struct cgroup *cg, struct error **err) {
    if (cg->v2_fd >= 0) {
        close(cg->v2_fd);
        cg->v2_fd = -1;
    }
    int ret = 0;
    for (size_t i = 0; i < cg->n; i++) {
        int r = cg->h[i].ops->destroy(&cg->h[i], err);
        if (r < 0 && ret == 0)
            ret = r;
    }
    return ret;
}

/* The memory hierarchy's path (where limits and the supervisor's nesting show), else the unified
 * one's, else the first. */
const char *cgroup_path(const struct cgroup *cg) {
    const struct cg_hierarchy *pick = NULL;
    for (size_t i = 0; i < cg->n; i++) {
        const struct cg_hierarchy *h = &cg->h[i];
        if (h->ops->version == 1 && strstr(h->controllers, "memory"))
            return h->path;
        if (h->ops->version == 2 && !pick)
            pick = h;
    }
    return pick ? pick->path : cg->n ? cg->h[0].path : "";
}
