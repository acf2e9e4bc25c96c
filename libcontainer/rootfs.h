/* The container's filesystem view, built by the child (init) in its own mount namespace:
 * mounts, devices, pivot_root, masked and read-only paths, the console, sysctls. */
#ifndef HULL_LIBCONTAINER_ROOTFS_H
#define HULL_LIBCONTAINER_ROOTFS_H

#include <stdbool.h>

#include "../base/error.h"
#include "../oci/spec.h"

struct rootfs_ctx {
    const struct oci_spec *spec;
    const char *rootfs;   /* absolute, canonical host path of the root filesystem */
    bool new_mount_ns;    /* false: hull shares the caller's mount namespace (no mounts allowed) */
    bool in_userns;       /* the container has its own user namespace (devices are bind-mounted) */
    bool new_cgroup_ns;
    bool no_pivot;        /* --no-pivot: MS_MOVE + chroot instead of pivot_root */
    bool has_terminal;    /* process.terminal */
};

/* Before pivot: make / private (or linux.rootfsPropagation), bind the rootfs onto itself, every
 * `mounts` entry in order (destinations resolved inside the rootfs: a symlink never leads out),
 * the default devices, /dev symlinks, /dev/ptmx, linux.devices. */
int rootfs_prepare(const struct rootfs_ctx *c, struct error **err);

/* pivot_root into the rootfs and detach the old root (or, with no_pivot, move + chroot). */
int rootfs_pivot(const struct rootfs_ctx *c, struct error **err);

/* After pivot: linux.maskedPaths, linux.readonlyPaths, root.readonly, rootfs propagation. */
int rootfs_finalize(const struct rootfs_ctx *c, struct error **err);

/* After pivot: bind the pty slave (by its fd) over a fresh /dev/console. */
int rootfs_setup_console(int slave_fd, struct error **err);

/* After pivot, with /proc mounted: write every linux.sysctl key under /proc/sys. */
int rootfs_apply_sysctl(const struct oci_linux *linux, struct error **err);

#endif
