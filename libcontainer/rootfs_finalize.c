/* After pivot_root: masked and read-only paths, a read-only /, the rootfs propagation, the console.
 * Paths resolve inside "/"; with the new mount API no /proc is needed (the classic fallback needs
 * the container's /proc). */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/path.h"
#include "mounts.h"

#define RO_ATTRS (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)

/* The container's /dev/null, checked to be the real device (char 1:3) and not something the image
 * or a process put there (a symlink to a host file, a regular file: CVE-2025-31133): masking binds
 * this very inode, never the path again. */
static int open_real_null(int rootfd, struct error **err) {
    int fd = path_open_in_root(rootfd, "/dev/null", O_PATH | O_NOFOLLOW, 0);
    if (fd < 0)
        return error_sys(err, -fd, "open /dev/null (to mask paths with)");
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3) {
        close(fd);
        return error_new(err, EPERM, "/dev/null in the container is not the null device (char 1:3); refusing to mask "
                                     "paths with it");
    }
    return fd;
}

/* A directory gets an empty read-only tmpfs, anything else /dev/null; a missing path is fine. */
static int mask_path(int rootfd, int *nullfd, const char *path, struct error **err) {
    _cleanup_close_ int fd = path_open_in_root(rootfd, path, O_PATH, 0);
    if (fd == -ENOENT)
        return 0;
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0)
        return error_sys(err, fd < 0 ? -fd : errno, "open");
    if (S_ISDIR(st.st_mode))
        return mounts_tmpfs_at(fd, RO_ATTRS, err);
    if (*nullfd < 0 && (*nullfd = open_real_null(rootfd, err)) < 0)
        return *nullfd;
    _cleanup_close_ int mnt = mounts_bind_at(*nullfd, NULL, false, rootfd, path, fd, err);
    return mnt < 0 ? mnt : 0;
}

/* Bind the path onto itself, read-only, nosuid, nodev, noexec, with everything mounted below it. */
static int readonly_path(int rootfd, const char *path, struct error **err) {
    _cleanup_close_ int fd = path_open_in_root(rootfd, path, O_PATH, 0);
    if (fd == -ENOENT)
        return 0;
    if (fd < 0)
        return error_sys(err, -fd, "open");
    _cleanup_close_ int mnt = mounts_bind_at(fd, NULL, true, rootfd, path, fd, err);
    return mnt < 0 ? mnt : mounts_setattr(mnt, true, RO_ATTRS, 0, 0, err);
}

static int needs_mount_ns(const struct rootfs_ctx *c, struct error **err) {
    const struct oci_linux *l = c->spec->linux;
    if (l && (l->masked_paths && *l->masked_paths))
        return error_new(err, EINVAL, "linux.maskedPaths: the container has no mount namespace of its own");
    if (l && (l->readonly_paths && *l->readonly_paths))
        return error_new(err, EINVAL, "linux.readonlyPaths: the container has no mount namespace of its own");
    if (c->spec->root_readonly)
        return error_new(err, EINVAL, "root.readonly: the container has no mount namespace of its own");
    if (l && l->rootfs_propagation_flags)
        return error_new(err, EINVAL, "linux.rootfsPropagation: the container has no mount namespace of its own");
    return 0;
}

int rootfs_finalize(const struct rootfs_ctx *c, struct error **err) {
    if (!c->new_mount_ns)
        return needs_mount_ns(c, err);
    const struct oci_linux *l = c->spec->linux;
    _cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return error_sys(err, errno, "open /");
    int r;
    _cleanup_close_ int nullfd = -1;
    for (size_t i = 0; l && l->masked_paths && l->masked_paths[i]; i++)
        if ((r = mask_path(rootfd, &nullfd, l->masked_paths[i], err)) < 0)
            return error_wrap(err, r, "linux.maskedPaths[%zu] (%s)", i, l->masked_paths[i]);
    for (size_t i = 0; l && l->readonly_paths && l->readonly_paths[i]; i++)
        if ((r = readonly_path(rootfd, l->readonly_paths[i], err)) < 0)
            return error_wrap(err, r, "linux.readonlyPaths[%zu] (%s)", i, l->readonly_paths[i]);
    if (c->spec->root_readonly && (r = mounts_setattr(rootfd, false, MOUNT_ATTR_RDONLY, 0, 0, err)) < 0)
        return error_wrap(err, r, "root.readonly");
    if (l && l->rootfs_propagation_flags && mount(NULL, "/", NULL, l->rootfs_propagation_flags, NULL) < 0)
        return error_sys(err, errno, "linux.rootfsPropagation (%s): set on /",
                         l->rootfs_propagation ? l->rootfs_propagation : "?");
    return 0;
}

/* A fresh, empty regular file at /dev/console to bind the pty onto: whatever the image or a
 * process left there (a symlink to a procfs file, a device) is removed first, and the file is
 * made with O_EXCL|O_NOFOLLOW in the /dev directory resolved inside the root, so the bind never
 * follows a container-controlled path (CVE-2025-52565). */
static int fresh_console_target(int rootfd, struct error **err) {
    _cleanup_free_ char *name = NULL;
    _cleanup_close_ int dev = path_open_parent_in_root(rootfd, "/dev/console", true, &name, err);
    if (dev < 0)
        return dev;
    if (unlinkat(dev, name, 0) < 0 && errno != ENOENT)
        return error_sys(err, errno, "remove the existing /dev/console");
    int fd = openat(dev, name, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0)
        return error_sys(err, errno, "create /dev/console");
    return fd;
}

int rootfs_setup_console(int slave_fd, struct error **err) {
    _cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return error_sys(err, errno, "open /");
    _cleanup_close_ int target = fresh_console_target(rootfd, err);
    if (target < 0)
        return error_wrap(err, target, "/dev/console");
    /* the pty slave by its fd, not by its path under the container's /dev/pts */
    _cleanup_close_ int mnt = mounts_bind_at(slave_fd, NULL, false, rootfd, "/dev/console", target, err);
    return mnt < 0 ? error_wrap(err, mnt, "/dev/console: bind the pty") : 0;
}
