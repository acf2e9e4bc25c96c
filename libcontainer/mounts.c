/* One entry of config.json "mounts": dispatch by kind, filesystems through mount(2). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/path.h"
#include "../base/util.h"
#include "mounts.h"

char *mounts_describe(const struct oci_mount *m, size_t i) {
    const char *dest = m->destination ? m->destination : "(no destination)";
    if (m->bind)
        return xasprintf("mounts[%zu] (bind %s on %s)", i, m->source ? m->source : "(no source)", dest);
    return xasprintf("mounts[%zu] (%s on %s)", i, m->type ? m->type : "(no type)", dest);
}

static bool type_is(const struct oci_mount *m, const char *type) {
    return m->type && strcmp(m->type, type) == 0;
}

/* What a user namespace cannot mount itself (sysfs without its own network namespace, mqueue
 * without its own IPC namespace) is bound recursively from the runtime's view instead, with the
 * mount's flags applied to the whole tree (as runc does for sysfs). */
static int bind_fallback(const struct rootfs_ctx *c, int rootfd, const struct oci_mount *m, const char *host_path,
                         struct error **err) {
    struct oci_mount b = *m;
    b.source = (char *)host_path;
    b.bind = b.recursive_bind = true;
    b.tmpcopyup = b.idmap = b.ridmap = false;
    mounts_flags_to_attr(m->flags, m->clear_flags, &b.attr_set, &b.attr_clr);
    log_debug("mount %s on %s: not permitted, binding %s instead", m->type, m->destination, host_path);
    return mounts_bind(c, rootfd, &b, err);
}

/* proc and sysfs only on a real directory: never through a symlink the image planted there. */
static int check_plain_dir(int rootfd, const char *dest, struct error **err) {
    _cleanup_close_ int fd = path_open_in_root(rootfd, dest, O_PATH | O_NOFOLLOW, 0);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0)
        return error_sys(err, fd < 0 ? -fd : errno, "open %s in the rootfs", dest);
    if (!S_ISDIR(st.st_mode))
        return error_new(err, ENOTDIR, "the destination must be a plain directory, not a symlink or a file");
    return 0;
}

/* runc: a tmpfs over an existing directory keeps the directory's mode unless data sets one. */
static char *tmpfs_data(int rootfd, const struct oci_mount *m) {
    _cleanup_close_ int fd = path_open_in_root(rootfd, m->destination, O_PATH | O_DIRECTORY, 0);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0)
        return m->data ? xstrdup(m->data) : NULL;
    return xasprintf("mode=%04o%s%s", st.st_mode & 07777, m->data ? "," : "", m->data ? m->data : "");
}

/* devpts "gid=5" fails (EINVAL) when gid 5 is not mapped in the user namespace: retry without. */
static char *without_gid(const char *data) {
    char *out = xstrdup("");
    _cleanup_free_ char *copy = xstrdup(data);
    char *save = NULL;
    for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
        if (str_has_prefix(o, "gid="))
            continue;
        char *n = xasprintf("%s%s%s", out, *out ? "," : "", o);
        free(out);
        out = n;
    }
    return out;
}

static int fs_mount(const struct oci_mount *m, const char *at, unsigned long flags, const char *data) {
    const char *source = m->source && *m->source ? m->source : m->type;
    return mount(source, at, m->type, flags, data) < 0 ? -errno : 0;
}

/* mount(2) of m at `at` ("/proc/self/fd/N"), or what stands in for it: 0 when mounted there, 1
 * when the host's was bound on the destination instead (done, with m's attributes), or the error. */
static int mount_or_fallback(const struct rootfs_ctx *c, int rootfd, const struct oci_mount *m, const char *at,
                             unsigned long flags, const char *data, struct error **err) {
    int r = fs_mount(m, at, flags, data);
    if (r == -EPERM && type_is(m, "sysfs"))
        return (r = bind_fallback(c, rootfd, m, "/sys", err)) < 0 ? r : 1;
    if (r == -EPERM && type_is(m, "mqueue") && c->in_userns)
        return (r = bind_fallback(c, rootfd, m, "/dev/mqueue", err)) < 0 ? r : 1;
    if (r == -EINVAL && type_is(m, "devpts") && data && strstr(data, "gid=")) {
        _cleanup_free_ char *d = without_gid(data);
        r = fs_mount(m, at, flags, d);
    }
    return r < 0 ? error_sys(err, -r, "mount") : 0;
}

static int tmpcopyup(int below, int mnt, const struct oci_mount *m, struct error **err) {
    _cleanup_close_ int dst = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dst < 0)
        return error_sys(err, errno, "tmpcopyup: open the new tmpfs");
    int r = mounts_copy_tree(below, dst, err);
    if (r < 0)
        return error_wrap(err, r, "tmpcopyup");
    if (m->flags & MS_RDONLY)
        return mounts_setattr(mnt, false, MOUNT_ATTR_RDONLY, 0, 0, err);
    return 0;
}

/* What is done to the new mount after mount(2): tmpcopyup, then m's recursive attributes and
 * propagation. */
static bool needs_the_new_mount(const struct oci_mount *m) {
    return m->tmpcopyup || m->attr_set || m->attr_clr || m->propagation;
}

struct fs_args {
    const struct rootfs_ctx *c;
    int rootfd;
    const struct oci_mount *m;
    unsigned long flags;
    const char *data;
    int below;
};

static int fs_mount_at(void *arg, int at, struct error **err) {
    const struct fs_args *a = arg;
    char proc[PATH_FD_PROC_MAX];
    return mount_or_fallback(a->c, a->rootfd, a->m, path_fd_proc(at, proc), a->flags, a->data, err);
}

static int fs_fill(void *arg, int mnt, struct error **err) {
    const struct fs_args *a = arg;
    return a->m->tmpcopyup ? tmpcopyup(a->below, mnt, a->m, err) : 0;
}

static int mount_fs(const struct rootfs_ctx *c, int rootfd, const struct oci_mount *m, struct error **err) {
    if (!m->type || !*m->type)
        return error_new(err, EINVAL, "no type, and not a bind mount");
    if (m->tmpcopyup && !type_is(m, "tmpfs"))
        return error_new(err, EINVAL, "tmpcopyup is only supported on tmpfs");
    _cleanup_free_ char *data = type_is(m, "tmpfs") ? tmpfs_data(rootfd, m) : (m->data ? xstrdup(m->data) : NULL);
    _cleanup_close_ int target = path_create_in_root(rootfd, m->destination, true, err);
    if (target < 0)
        return target;
    int r;
    if ((type_is(m, "proc") || type_is(m, "sysfs")) && (r = check_plain_dir(rootfd, m->destination, err)) < 0)
        return r;
    _cleanup_close_ int below = -1;
    if (m->tmpcopyup && (below = openat(target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return error_sys(err, errno, "tmpcopyup: open the destination");

    unsigned long flags = mounts_fs_flags(m) & ~(unsigned long)(m->tmpcopyup ? MS_RDONLY : 0);
    struct fs_args a = {.c = c, .rootfd = rootfd, .m = m, .flags = flags, .data = data, .below = below};
    if (!needs_the_new_mount(m)) {
        /* nothing to do to it afterwards: mounted on the destination's fd, never looked up again */
        r = fs_mount_at(&a, target, err);
        return r < 0 ? r : 0;
    }
    /* mounted on a private staging directory, filled (tmpcopyup), moved onto the destination's
     * fd, and given its attributes and propagation through the mount's own fd */
    _cleanup_close_ int fd = -1;
    r = mounts_new_at(rootfd, m->destination, target, fs_mount_at, fs_fill, &a, &fd, err);
    if (r != 0)
        return r < 0 ? r : 0;
    return mounts_finish(fd, m, err);
}

/* "remount": change an existing mount at the destination (flags only, for a bind). */
static int remount(int rootfd, const struct oci_mount *m, struct error **err) {
    _cleanup_close_ int target = path_open_in_root(rootfd, m->destination, O_PATH, 0);
    if (target < 0)
        return error_sys(err, -target, "remount: open the destination");
    if (m->bind) {
        uint64_t set = 0, clr = 0;
        mounts_flags_to_attr(m->flags, m->clear_flags, &set, &clr);
        int r = mounts_setattr(target, m->recursive_bind, set, clr, 0, err);
        return r < 0 ? r : mounts_finish(target, m, err);
    }
    char proc[PATH_FD_PROC_MAX];
    if (mount(m->source, path_fd_proc(target, proc), m->type, mounts_fs_flags(m), m->data) < 0)
        return error_sys(err, errno, "remount");
    return mounts_finish(target, m, err);
}

int mounts_mount_one(const struct rootfs_ctx *c, int rootfd, size_t i, struct error **err) {
    const struct oci_mount *m = &c->spec->mounts[i];
    int r;
    _cleanup_free_ char *clean = m->destination ? path_clean(m->destination) : NULL;
    if (!m->destination || !*m->destination)
        r = error_new(err, EINVAL, "no destination");
    else if (strcmp(clean, "/") == 0)
        r = error_new(err, EINVAL, "the destination is the root itself (root.path sets what / is)");
    else if ((m->idmap || m->ridmap) && !m->bind)
        r = error_new(err, EINVAL, "idmap and ridmap are only supported on bind mounts");
    else if (m->flags & MS_REMOUNT)
        r = remount(rootfd, m, err);
    else if (m->bind)
        r = mounts_bind(c, rootfd, m, err);
    else if (type_is(m, "cgroup"))
        r = mounts_cgroup(c, rootfd, m, err);
    else
        r = mount_fs(c, rootfd, m, err);
    if (r < 0) {
        _cleanup_free_ char *what = mounts_describe(m, i);
        return error_wrap(err, r, "%s", what);
    }
    return 0;
}
