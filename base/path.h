/* Safe path resolution inside a root directory (the container's rootfs, before pivot_root).
 *
 * Every lookup goes through openat2(2) with RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS: "/", ".."
 * and absolute symlinks stop at the root fd, so "../../etc" or a symlink "etc -> /etc" in the
 * image resolve to <rootfs>/etc, never to the host's.  Creating functions create each missing
 * component with mkdirat/mknodat on the resolved parent, so they never leave the root either.
 *
 * The returned fds are O_PATH: mount onto path_fd_proc(fd) ("/proc/self/fd/N"), use them as the
 * dirfd of *at calls, or with the new mount API (move_mount, mount_setattr). */
#ifndef HULL_BASE_PATH_H
#define HULL_BASE_PATH_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

/* openat2(rootfd, path, flags | O_CLOEXEC, mode) resolved in the root.  Returns the fd or -errno
 * (no error object: ENOENT is often an expected answer).  Without openat2 (Linux < 5.6, or
 * valgrind), the same resolution is done in userspace, a component at a time. */
int path_open_in_root(int rootfd, const char *path, int flags, mode_t mode);

/* Tests: use the userspace resolution even where openat2 exists. */
void path_disable_openat2(bool disable);

/* mkdir -p of path inside the root (missing directories get `mode`); returns an
 * O_PATH|O_DIRECTORY fd of the result.  A symlink on the way that points to something missing
 * has its target created, inside the root (as runc: "etc -> /srv/etc" makes <root>/srv/etc). */
int path_mkdir_in_root(int rootfd, const char *path, mode_t mode, struct error **err);

/* A mount point: the existing path (any type) opened O_PATH, or, when missing, its parents
 * created (0755) and then the last component as a directory (dir, 0755) or an empty regular file
 * (!dir, 0644); a dangling symlink there has its target created.  Returns the O_PATH fd. */
int path_create_in_root(int rootfd, const char *path, bool dir, struct error **err);

/* The parent directory of path (created when `create`), O_PATH, and in *name the last component
 * (a newly allocated string; "." for the root itself).  For unlinkat/symlinkat/mknodat. */
int path_open_parent_in_root(int rootfd, const char *path, bool create, char **name, struct error **err);

/* The path made absolute and lexically clean: no "", "." or ".." components (".." stops at
 * "/"), no trailing slash: "a//b/../c/" is "/a/c", "../.." is "/".  Symlinks are not looked at. */
char *path_clean(const char *path);

/* "/proc/self/fd/N": what mount(2) takes as the target of an O_PATH fd. */
#define PATH_FD_PROC_MAX 32
const char *path_fd_proc(int fd, char buf[PATH_FD_PROC_MAX]);

#endif
