/* Internal to the container's filesystem code (rootfs*.c, mounts*.c, devices*.c); the public
 * interface is rootfs.h.
 *
 * Two ways to mount, chosen by what each step needs:
 *  - filesystems (tmpfs, proc, overlay... with their `data` string): mount(2) onto
 *    "/proc/self/fd/N" of an O_PATH fd resolved inside the rootfs.  Only before pivot_root, where
 *    the runtime's /proc is there.
 *  - binds: open_tree(OPEN_TREE_CLONE) of the source, mount_setattr(2) on the detached copy
 *    (ro, nosuid..., idmap), then move_mount(2) onto the O_PATH fd.  No /proc needed, so it also
 *    serves after pivot_root (masked and read-only paths, the console).  mount_setattr changes only
 *    the attributes it is given, so flags the source has (and, in a user namespace, the locked
 *    ones) are kept without having to read statvfs() and repeat them as MS_REMOUNT|MS_BIND must.
 */
#ifndef HULL_LIBCONTAINER_MOUNTS_H
#define HULL_LIBCONTAINER_MOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "rootfs.h"

/* "mounts[3] (tmpfs on /run)", "mounts[5] (bind /srv/data on /data)": the prefix of every error
 * about spec->mounts[i]. */
char *mounts_describe(const struct oci_mount *m, size_t i);

/* Mount c->spec->mounts[i] inside the rootfs (rootfd: O_PATH of the rootfs, after its self-bind). */
int mounts_mount_one(const struct rootfs_ctx *c, int rootfd, size_t i, struct error **err);

/* A bind (or rbind) of m->source (a host path, relative to the cwd) onto m->destination inside
 * rootfd, with m's flags (top mount), attr_set/attr_clr (recursive), idmap and propagation.
 * Also used for cgroup v1 hierarchies and the sysfs/mqueue fallbacks, with made-up mounts. */
int mounts_bind(const struct rootfs_ctx *c, int rootfd, const struct oci_mount *m, struct error **err);

/* MS_* flags to set / explicitly cleared -> MOUNT_ATTR_* to set / clear (per-mount flags only:
 * superblock flags like MS_SYNCHRONOUS do not exist for a bind). */
void mounts_flags_to_attr(unsigned long flags, unsigned long clear, uint64_t *set, uint64_t *clr);

/* mount_setattr(fd, "", AT_EMPTY_PATH [| AT_RECURSIVE]): set/clear attributes and, when
 * propagation is not 0, one of MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE. */
int mounts_setattr(int fd, bool recursive, uint64_t set, uint64_t clr, uint64_t propagation, struct error **err);

/* After a mount: m's recursive attributes (attr_set/attr_clr) and its propagation, on the mount
 * whose root is fd. */
int mounts_finish(int fd, const struct oci_mount *m, struct error **err);

/* Bind the detached tree `tree` (from open_tree) onto the O_PATH fd `target`. */
int mounts_move(int tree, int target, struct error **err);

/* The MS_* flags that mount(2) takes for a new filesystem: m->flags without bind, rec and
 * propagation bits. */
unsigned long mounts_fs_flags(const struct oci_mount *m);

/* type "cgroup": cgroup2 on a v2 host; a tmpfs with one bind (or, in a new cgroup namespace, one
 * fresh mount) per hierarchy of this process on v1/hybrid hosts. */
int mounts_cgroup(const struct rootfs_ctx *c, int rootfd, const struct oci_mount *m, struct error **err);

/* tmpcopyup: copy the tree under srcfd into dstfd (both O_RDONLY directory fds): files,
 * directories, symlinks, special files, with owners, modes and times. */
int mounts_copy_tree(int srcfd, int dstfd, struct error **err);

/* mount_setattr(MOUNT_ATTR_IDMAP) on the detached tree from m's uidMappings/gidMappings (or the
 * container's own mappings). */
int mounts_idmap(const struct rootfs_ctx *c, const struct oci_mount *m, int tree, struct error **err);

/* Default devices, linux.devices, /dev symlinks, /dev/ptmx and the /dev/console mount point. */
int devices_setup(const struct rootfs_ctx *c, int rootfd, struct error **err);

#endif
