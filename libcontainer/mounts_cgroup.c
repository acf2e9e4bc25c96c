/* A mount of type "cgroup": the container's view of its own cgroups.
 *
 * cgroup v2 host: a cgroup2 mount (in a user namespace without a cgroup namespace, where the kernel
 * refuses it, a bind of the process's own cgroup directory).  v1 or hybrid host: a tmpfs at the
 * destination and, for each hierarchy in /proc/self/cgroup, a bind of this process's directory in
 * it (found through /proc/self/mountinfo) at <dest>/<name of the host's mount point>, "cpu" and
 * "cpuacct" symlinks for a co-mounted "cpu,cpuacct", "unified" for the v2 hierarchy; in a new
 * cgroup namespace, fresh cgroup mounts of each hierarchy instead of binds (as runc).
 * Read-only unless the options say "rw". */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/path.h"
#include "../base/util.h"
#include "mounts.h"

static bool has_option(const char *opts, const char *opt, size_t len) {
    for (const char *p = opts; p && *p;) {
        const char *end = strchrnul(p, ',');
        if ((size_t)(end - p) == len && strncmp(p, opt, len) == 0)
            return true;
        p = *end ? end + 1 : end;
    }
    return false;
}

/* The mount of a hierarchy: ctrls "" is the v2 one, else every controller (or name=) in the
 * comma list must be among the super options of a "cgroup" mount. */
static const struct mounts_mi_entry *find_hierarchy(const struct mounts_mountinfo *mi, const char *ctrls) {
    for (size_t i = 0; i < mi->n; i++) {
        const struct mounts_mi_entry *e = &mi->e[i];
        if (!*ctrls) {
            if (strcmp(e->fstype, "cgroup2") == 0)
                return e;
            continue;
        }
        if (strcmp(e->fstype, "cgroup") != 0)
            continue;
        bool all = true;
        for (const char *p = ctrls; *p && all;) {
            const char *end = strchrnul(p, ',');
            all = has_option(e->super, p, (size_t)(end - p));
            p = *end ? end + 1 : end;
        }
        if (all)
            return e;
    }
    return NULL;
}

/* This process's directory of the hierarchy on the host: the mount point plus the cgroup path
 * below the mount's root; NULL when the cgroup is not under that root. */
static char *hierarchy_dir(const struct mounts_mi_entry *e, const char *cgpath) {
    if (strcmp(e->root, "/") == 0)
        return xasprintf("%s%s", e->mountpoint, strcmp(cgpath, "/") == 0 ? "" : cgpath);
    size_t n = strlen(e->root);
    if (strncmp(cgpath, e->root, n) != 0 || (cgpath[n] != '/' && cgpath[n] != '\0'))
        return NULL;
    return xasprintf("%s%s", e->mountpoint, cgpath + n);
}

/* What the callbacks of mounts_new_at need. */
struct cg_args {
    const struct rootfs_ctx *c;
    int rootfd;
    const struct oci_mount *m;
    unsigned long flags;
};

/* "cpu" and "cpuacct" symlinks to a co-mounted "cpu,cpuacct", in the new tmpfs `cg`. */
static int link_comounted(int cg, const char *dest, const char *name, struct error **err) {
    if (!strchr(name, ','))
        return 0;
    _cleanup_free_ char *copy = xstrdup(name);
    char *save = NULL;
    for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save))
        if (symlinkat(name, cg, c) < 0 && errno != EEXIST)
            return error_sys(err, errno, "symlink %s/%s", dest, c);
    return 0;
}

/* A bind of the host's directory src onto `at` with the cgroup mount's flags (ro, nosuid...) on
 * the top mount; `root` and `name` find the new mount again without the new mount API. */
static int bind_dir(int root, const char *name, int at, const char *src, unsigned long flags, bool recursive,
                    struct error **err) {
    _cleanup_close_ int mnt = mounts_bind_at(-1, src, recursive, root, name, at, err);
    if (mnt < 0)
        return mnt;
    uint64_t set = 0, clr = 0;
    mounts_flags_to_attr(flags, 0, &set, &clr);
    return mounts_setattr(mnt, false, set, clr, 0, err);
}

/* One hierarchy at <cg>/<name>: a directory made in the new tmpfs (which only this process can
 * reach), and a fresh cgroup mount or a bind on it, through its fd. */
static int mount_hierarchy(const struct cg_args *a, int cg, const struct mounts_mountinfo *mi, const char *ctrls,
                           const char *cgpath, struct error **err) {
    const struct mounts_mi_entry *e = find_hierarchy(mi, ctrls);
    if (!e) {
        log_debug("cgroup hierarchy \"%s\" is not mounted: not in the container", ctrls);
        return 0;
    }
    const char *slash = strrchr(e->mountpoint, '/');
    const char *name = slash ? slash + 1 : e->mountpoint;
    _cleanup_free_ char *dest = xasprintf("%s/%s", a->m->destination, name);
    _cleanup_free_ char *src = a->c->new_cgroup_ns ? NULL : hierarchy_dir(e, cgpath);
    if (!a->c->new_cgroup_ns && !src) {
        log_warn("cgroup %s of hierarchy \"%s\" is outside its mount %s: not in the container", cgpath, ctrls,
                 e->mountpoint);
        return 0;
    }
    int r = 0;
    if (mkdirat(cg, name, 0755) < 0 && errno != EEXIST)
        r = error_sys(err, errno, "mkdir %s", dest);
    _cleanup_close_ int at = r < 0 ? -1 : openat(cg, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (r == 0 && at < 0)
        r = error_sys(err, errno, "open %s", dest);
    if (r == 0 && a->c->new_cgroup_ns) {
        const char *type = *ctrls ? "cgroup" : "cgroup2";
        char proc[PATH_FD_PROC_MAX];
        if (mount(type, path_fd_proc(at, proc), type, a->flags, *ctrls ? ctrls : NULL) < 0)
            r = error_sys(err, errno, "mount %s on %s", type, dest);
    } else if (r == 0) {
        r = bind_dir(cg, name, at, src, a->flags, false, err);
    }
    if (r >= 0)
        r = link_comounted(cg, a->m->destination, name, err);
    return r < 0 ? error_wrap(err, r, "cgroup hierarchy \"%s\"", ctrls) : 0;
}

/* This process's /proc/self/cgroup and the mount table that locates its hierarchies. */
static int read_own_cgroups(char **self, struct mounts_mountinfo *mi, struct error **err) {
    int r = read_file("/proc/self/cgroup", self, NULL, err);
    return r < 0 ? r : mounts_mountinfo_read(mi, err);
}

/* fill of mounts_new_at: each "id:controllers:path" line of /proc/self/cgroup, in the new tmpfs. */
static int fill_v1(void *arg, int cg, struct error **err) {
    const struct cg_args *a = arg;
    _cleanup_free_ char *self = NULL;
    struct mounts_mountinfo mi = {0};
    int r = read_own_cgroups(&self, &mi, err);
    char *save = NULL;
    for (char *line = r < 0 ? NULL : strtok_r(self, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *ctrls = strchr(line, ':');
        char *path = ctrls ? strchr(ctrls + 1, ':') : NULL;
        if (!path)
            continue;
        *path++ = '\0';
        if ((r = mount_hierarchy(a, cg, &mi, ctrls + 1, path, err)) < 0)
            break;
    }
    mounts_mountinfo_free(&mi);
    return r < 0 ? r : 0;
}

/* mount_at of mounts_new_at for v1: the tmpfs the hierarchies go in (read-only once filled). */
static int mount_v1_tmpfs(void *arg, int at, struct error **err) {
    const struct cg_args *a = arg;
    char proc[PATH_FD_PROC_MAX];
    if (mount("tmpfs", path_fd_proc(at, proc), "tmpfs", a->flags & ~(unsigned long)MS_RDONLY, "mode=755") < 0)
        return error_sys(err, errno, "mount a tmpfs for the cgroup v1 hierarchies");
    return 0;
}

/* In a user namespace without a cgroup namespace the kernel refuses cgroup2: bind our own. */
static int bind_own_v2(const struct cg_args *a, int at, struct error **err) {
    _cleanup_free_ char *self = NULL;
    struct mounts_mountinfo mi = {0};
    int r = read_own_cgroups(&self, &mi, err);
    const char *path = r < 0 ? NULL : str_has_prefix(self, "0::") ? self : strstr(self, "\n0::");
    if (path && *path == '\n')
        path++;
    const struct mounts_mi_entry *e = r < 0 ? NULL : find_hierarchy(&mi, "");
    if (r >= 0 && (!path || !e))
        r = error_new(err, ENOENT, "cgroup2: cannot find this process's cgroup to bind");
    if (r >= 0) {
        _cleanup_free_ char *p = xstrndup(path + 3, strcspn(path + 3, "\n"));
        _cleanup_free_ char *src = hierarchy_dir(e, p);
        r = src ? bind_dir(a->rootfd, a->m->destination, at, src, a->flags, true, err)
                : error_new(err, ENOENT, "cgroup2: %s is outside the cgroup2 mount", p);
    }
    mounts_mountinfo_free(&mi);
    return r < 0 ? r : 0;
}

/* mount_at of mounts_new_at for v2. */
static int mount_v2(void *arg, int at, struct error **err) {
    const struct cg_args *a = arg;
    char proc[PATH_FD_PROC_MAX];
    if (mount("cgroup2", path_fd_proc(at, proc), "cgroup2", a->flags, a->m->data) == 0)
        return 0;
    if ((errno == EPERM || errno == EBUSY) && a->c->in_userns)
        return bind_own_v2(a, at, err);
    return error_sys(err, errno, "mount cgroup2");
}

/* The destination is resolved inside the rootfs once; the mount is made on the private staging
 * directory, filled there (v1: the hierarchies and their symlinks), moved onto the destination's
 * fd and made read-only and given m's attributes through its own fd (mounts_new_at): nothing is
 * found again by the destination's path, which the rootfs can swap for a symlink meanwhile. */
int mounts_cgroup(const struct rootfs_ctx *c, int rootfd, const struct oci_mount *m, struct error **err) {
    bool ro = (m->flags & MS_RDONLY) || !(m->clear_flags & MS_RDONLY);
    unsigned long flags = (mounts_fs_flags(m) & ~(unsigned long)MS_REMOUNT) | (ro ? MS_RDONLY : 0);
    struct statfs sfs;
    bool v2 = statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC;
    _cleanup_close_ int target = path_create_in_root(rootfd, m->destination, true, err);
    if (target < 0)
        return target;
    struct cg_args a = {.c = c, .rootfd = rootfd, .m = m, .flags = flags};
    _cleanup_close_ int fd = -1;
    int r = v2 ? mounts_new_at(rootfd, m->destination, target, mount_v2, NULL, &a, &fd, err)
               : mounts_new_at(rootfd, m->destination, target, mount_v1_tmpfs, fill_v1, &a, &fd, err);
    if (r != 0)
        return r < 0 ? r : 0;
    if (!v2 && ro && (r = mounts_setattr(fd, false, MOUNT_ATTR_RDONLY, 0, 0, err)) < 0)
        return r;
    return mounts_finish(fd, m, err);
}
