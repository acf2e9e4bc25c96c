/* tmpcopyup: copy what the destination held into the tmpfs mounted over it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "mounts.h"

static int copy_file(int src, int dst, const char *name, struct error **err) {
    _cleanup_close_ int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0)
        return error_sys(err, errno, "open %s", name);
    _cleanup_close_ int out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0)
        return error_sys(err, errno, "create %s", name);
    char buf[65536];
    for (;;) {
        ssize_t n = read(in, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return error_sys(err, errno, "read %s", name);
        if (n == 0)
            return 0;
        if (write_all(out, buf, (size_t)n) < 0)
            return error_sys(err, errno, "write %s", name);
    }
}

static int copy_symlink(int src, int dst, const char *name, struct error **err) {
    char target[PATH_MAX];
    ssize_t n = readlinkat(src, name, target, sizeof(target) - 1);
    if (n < 0)
        return error_sys(err, errno, "readlink %s", name);
    target[n] = '\0';
    if (symlinkat(target, dst, name) < 0)
        return error_sys(err, errno, "symlink %s", name);
    return 0;
}

static int copy_dir(int src, int dst, const char *name, struct error **err) {
    if (mkdirat(dst, name, 0700) < 0) /* its mode comes with the metadata, after the content */
        return error_sys(err, errno, "mkdir %s", name);
    _cleanup_close_ int s = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    _cleanup_close_ int d = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (s < 0 || d < 0)
        return error_sys(err, errno, "open %s", name);
    int r = mounts_copy_tree(s, d, err);
    return r < 0 ? error_wrap(err, r, "%s", name) : 0;
}

/* Owner, mode (after the owner: chown clears set-id bits) and times.  An owner the user namespace
 * does not map (EINVAL) stays the creator's. */
static int copy_metadata(int dst, const char *name, const struct stat *st, struct error **err) {
    if (fchownat(dst, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0 && errno != EINVAL)
        return error_sys(err, errno, "chown %s", name);
    if (!S_ISLNK(st->st_mode) && fchmodat(dst, name, st->st_mode & 07777, 0) < 0)
        return error_sys(err, errno, "chmod %s", name);
    struct timespec times[2] = {st->st_atim, st->st_mtim};
    if (utimensat(dst, name, times, AT_SYMLINK_NOFOLLOW) < 0)
        return error_sys(err, errno, "set the times of %s", name);
    return 0;
}

static int copy_entry(int src, int dst, const char *name, struct error **err) {
    struct stat st;
    if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return error_sys(err, errno, "stat %s", name);
    int r;
    switch (st.st_mode & S_IFMT) {
    case S_IFDIR:
        r = copy_dir(src, dst, name, err);
        break;
    case S_IFREG:
        r = copy_file(src, dst, name, err);
        break;
    case S_IFLNK:
        r = copy_symlink(src, dst, name, err);
        break;
    default:
        r = mknodat(dst, name, st.st_mode, st.st_rdev) < 0 ? error_sys(err, errno, "mknod %s", name) : 0;
        break;
    }
    return r < 0 ? r : copy_metadata(dst, name, &st, err);
}

int mounts_copy_tree(int srcfd, int dstfd, struct error **err) {
    int fd = openat(srcfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return error_sys(err, errno, "open a directory to copy");
    _cleanup_closedir_ DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return error_sys(err, errno, "read a directory to copy");
    }
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        int r = copy_entry(srcfd, dstfd, de->d_name, err);
        if (r < 0)
            return r;
        errno = 0;
    }
    if (errno)
        return error_sys(err, errno, "read a directory to copy");
    return 0;
}
