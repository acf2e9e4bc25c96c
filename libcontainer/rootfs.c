/* Before and at pivot_root: the rootfs, its mounts and devices, then the switch of root. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "mounts.h"

/* Until pivot_root, / is recursively slave (rootfsPropagation slave or shared: host events still
 * come in) or private: nothing mounted here may reach the host's namespace, and pivot_root refuses
 * shared mounts.  The exact rootfsPropagation is applied to the new / by rootfs_finalize. */
static unsigned long pre_pivot_propagation(const struct oci_linux *linux) {
    unsigned long want = linux ? linux->rootfs_propagation_flags : 0;
    return (want & (MS_SLAVE | MS_SHARED)) ? MS_SLAVE | MS_REC : MS_PRIVATE | MS_REC;
}

static int prepare_without_mount_ns(const struct rootfs_ctx *c, struct error **err) {
    if (c->spec->n_mounts)
        return error_new(err, EINVAL, "mounts: the container has no mount namespace of its own to mount in");
    if (c->spec->linux && c->spec->linux->n_devices)
        return error_new(err, EINVAL, "linux.devices: the container has no mount namespace of its own");
    log_debug("no mount namespace: the rootfs %s is used as it is", c->rootfs);
    return 0;
}

int rootfs_prepare(const struct rootfs_ctx *c, struct error **err) {
    int r;
    if (!c->new_mount_ns)
        return prepare_without_mount_ns(c, err);
    unsigned long prop = pre_pivot_propagation(c->spec->linux);
    if (mount(NULL, "/", NULL, prop, NULL) < 0)
        return error_sys(err, errno, "make / %s", prop & MS_SLAVE ? "rslave" : "rprivate");
    if (mount(c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        return error_sys(err, errno, "bind the rootfs %s onto itself", c->rootfs);
    _cleanup_close_ int rootfd = open(c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return error_sys(err, errno, "open the rootfs %s", c->rootfs);
    for (size_t i = 0; i < c->spec->n_mounts; i++)
        if ((r = mounts_mount_one(c, rootfd, i, err)) < 0)
            return r;
    return devices_setup(c, rootfd, err);
}

/* runc's pivot_root(".", "."): the old root ends up stacked on the new one, where it is made
 * rslave (so that unmounting it does not propagate anywhere) and detached. */
static int pivot(const struct rootfs_ctx *c, struct error **err) {
    _cleanup_close_ int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (oldroot < 0)
        return error_sys(err, errno, "open /");
    _cleanup_close_ int newroot = open(c->rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (newroot < 0)
        return error_sys(err, errno, "open the rootfs %s", c->rootfs);
    if (fchdir(newroot) < 0)
        return error_sys(err, errno, "chdir to the rootfs %s", c->rootfs);
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        return error_sys(err, errno, "pivot_root to %s", c->rootfs);
    if (fchdir(oldroot) < 0)
        return error_sys(err, errno, "chdir to the old root");
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
        return error_sys(err, errno, "make the old root rslave");
    if (umount2(".", MNT_DETACH) < 0)
        return error_sys(err, errno, "detach the old root");
    if (chdir("/") < 0)
        return error_sys(err, errno, "chdir to /");
    return 0;
}

/* --no-pivot (or no mount namespace): move the rootfs over / (when allowed) and chroot. */
static int move_and_chroot(const struct rootfs_ctx *c, bool move, struct error **err) {
    if (chdir(c->rootfs) < 0)
        return error_sys(err, errno, "chdir to the rootfs %s", c->rootfs);
    if (move && mount(c->rootfs, "/", NULL, MS_MOVE, NULL) < 0)
        return error_sys(err, errno, "move the rootfs %s onto /", c->rootfs);
    if (chroot(".") < 0)
        return error_sys(err, errno, "chroot to %s", c->rootfs);
    if (chdir("/") < 0)
        return error_sys(err, errno, "chdir to /");
    return 0;
}

int rootfs_pivot(const struct rootfs_ctx *c, struct error **err) {
    if (!c->new_mount_ns)
        return move_and_chroot(c, false, err);
    if (c->no_pivot)
        return move_and_chroot(c, true, err);
    return pivot(c, err);
}
