/* Internal to the container's filesystem code (rootfs*.c, mounts*.c, devices*.c); the public
 * interface is rootfs.h.
 *
 * Every target is an O_PATH fd resolved inside the rootfs (base/path.h), never a path string:
 *  - filesystems (tmpfs, proc, overlay... with their `data` string): mount(2) onto
 *    "/proc/self/fd/N".  Only before pivot_root, where the runtime's /proc is there.
 *  - binds and attributes: the new mount API: open_tree(OPEN_TREE_CLONE) + move_mount(2), then
 *    mount_setattr(2) (ro, nosuid..., propagation, recursive with AT_RECURSIVE; idmap on the
 *    detached tree).  No /proc needed, so it also serves after pivot_root (masked and read-only
 *    paths, the console).  mount_setattr changes only the attributes it is given, so the flags the
 *    source has (and, in a user namespace, the locked ones) are kept.
 *  - where the new API is missing (ENOSYS: Linux < 5.12, valgrind): mount(2) MS_BIND onto
 *    "/proc/self/fd/N", and MS_REMOUNT|MS_BIND with the mount's current flags read by statvfs(3)
 *    so that none is dropped (recursive attributes: each mount below, from mountinfo).
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

/* Bind the detached tree `tree` (from open_tree or fsmount) onto the O_PATH fd `target`. */
int mounts_move(int tree, int target, struct error **err);

/* Bind src_path (a host path; relative: to the cwd) or, when src_path is NULL, the fd src_fd
 * onto `target` (the O_PATH fd of `dest` inside rootfd).  Returns an O_PATH fd of the new mount's
 * root (open_tree's tree, or, the classic way, `dest` opened again). */
int mounts_bind_at(int src_fd, const char *src_path, bool recursive, int rootfd, const char *dest, int target,
                   struct error **err);

/* A new tmpfs on `target` with MOUNT_ATTR_* attrs (fsmount, or mount(2)). */
int mounts_tmpfs_at(int target, uint64_t attrs, struct error **err);

/* A private mount point, to mount a filesystem on and work on it before it goes to its place: a new
 * tmpfs (fsmount, mode 0700) attached on top of this process's "/" (before pivot_root, in the
 * container's own mount namespace) with one empty directory in it, `path` ("/proc/self/fd/N/m").
 * No other process can reach into that tmpfs, so nothing can swap `path` for a symlink between
 * mount(2) and opening the new mount again through it (the rootfs can: CVE-2021-30465).  Returns
 * the tmpfs's fd, or -ENOSYS (no error set) without the new mount API. */
#define MOUNTS_STAGE_PATH_MAX 40
int mounts_stage_open(char path[MOUNTS_STAGE_PATH_MAX], struct error **err);
/* Detach the staging tmpfs (with anything still mounted in it) and close its fd. */
void mounts_stage_close(int stage);
/* fd (an O_PATH fd) is where mounts_stage_open attaches: this process's "/". */
bool mounts_stage_is_here(int fd);

/* A new mount for `target` (the O_PATH fd of `dest`, resolved inside rootfd once), made and
 * worked on without ever finding it again by dest's path: mount_at(arg, at, err) mounts it on
 * `at` (an O_PATH fd; mount(2) onto "/proc/self/fd/N"), returning 0, or 1 when it did its work
 * elsewhere (a fallback that binds onto dest itself: nothing more is done); then the new mount is
 * opened, fill(arg, mnt, err) (NULL: nothing) works on it through that fd (O_PATH, the new mount's
 * root), and it is moved onto target.  `at` is the private staging directory (mounts_stage_open);
 * without the new mount API, or when target is this process's "/" where the stage would sit, it
 * is target itself, and the new mount is opened again by dest's path (racy: a rootfs swapped
 * meanwhile makes that lead elsewhere inside the rootfs, never out of it).  Returns 0 with *mnt an
 * O_PATH fd of the new mount (now on target) for its attributes, 1 (*mnt -1) as mount_at did, or
 * the error. */
typedef int mounts_at_fn(void *arg, int at, struct error **err);
int mounts_new_at(int rootfd, const char *dest, int target, mounts_at_fn *mount_at, mounts_at_fn *fill, void *arg,
                  int *mnt, struct error **err);

/* Tests: take the classic mount(2) way even where the new mount API exists. */
void mounts_disable_new_api(bool disable);

/* /proc/self/mountinfo; the strings point into `text`. */
struct mounts_mi_entry {
    char *root, *mountpoint, *fstype, *super;
};
struct mounts_mountinfo {
    struct mounts_mi_entry *e;
    size_t n;
    char *text;
};
int mounts_mountinfo_read(struct mounts_mountinfo *mi, struct error **err);
void mounts_mountinfo_free(struct mounts_mountinfo *mi);

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
/* What mounts_idmap refuses before any syscall: in a user namespace, or mappings missing. */
int mounts_idmap_check(const struct rootfs_ctx *c, const struct oci_mount *m, struct error **err);

/* Default devices, linux.devices, /dev symlinks, /dev/ptmx and the /dev/console mount point. */
int devices_setup(const struct rootfs_ctx *c, int rootfd, struct error **err);

#endif
