#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "util.h"

int path_open_in_root(int rootfd, const char *path, int flags, mode_t mode) {
    struct open_how how = {
        .flags = (uint64_t)(flags | O_CLOEXEC),
        .mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    for (;;) {
        long fd = syscall(SYS_openat2, rootfd, path && *path ? path : "/", &how, sizeof(how));
        if (fd >= 0)
            return (int)fd;
        /* EAGAIN: a concurrent rename in the tree; the kernel asks to retry. */
        if (errno != EINTR && errno != EAGAIN)
            return -errno;
    }
}

const char *path_fd_proc(int fd, char buf[PATH_FD_PROC_MAX]) {
    snprintf(buf, PATH_FD_PROC_MAX, "/proc/self/fd/%d", fd);
    return buf;
}

/* Open `prefix` (already created or just created by us); ENOENT after an EEXIST from mkdirat or
 * mknodat means the name is a symlink that points nowhere. */
static int reopen_created(int rootfd, const char *prefix, int flags, struct error **err) {
    int fd = path_open_in_root(rootfd, prefix, flags, 0);
    if (fd == -ENOENT)
        return error_new(err, ENOENT, "%s in the rootfs: a dangling symlink is in the way", prefix);
    if (fd < 0)
        return error_sys(err, -fd, "open %s in the rootfs", prefix);
    return fd;
}

int path_mkdir_in_root(int rootfd, const char *path, mode_t mode, struct error **err) {
    _cleanup_close_ int cur = path_open_in_root(rootfd, "/", O_PATH | O_DIRECTORY, 0);
    if (cur < 0)
        return error_sys(err, -cur, "open the rootfs");
    _cleanup_free_ char *prefix = xstrdup("");
    const char *p = path ? path : "";
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *end = strchrnul(p, '/');
        _cleanup_free_ char *comp = xstrndup(p, (size_t)(end - p));
        char *next = xasprintf("%s/%s", prefix, comp);
        free(prefix);
        prefix = next;
        p = end;

        int fd = path_open_in_root(rootfd, prefix, O_PATH | O_DIRECTORY, 0);
        if (fd == -ENOENT) {
            if (mkdirat(cur, comp, mode) < 0 && errno != EEXIST)
                return error_sys(err, errno, "mkdir %s in the rootfs", prefix);
            fd = reopen_created(rootfd, prefix, O_PATH | O_DIRECTORY, err);
        } else if (fd < 0) {
            fd = error_sys(err, -fd, "open %s in the rootfs", prefix);
        }
        if (fd < 0)
            return fd;
        close(cur);
        cur = fd;
    }
    return TAKE_FD(cur);
}

int path_open_parent_in_root(int rootfd, const char *path, bool create, char **name, struct error **err) {
    _cleanup_free_ char *copy = xstrdup(path ? path : "");
    size_t n = strlen(copy);
    while (n > 0 && copy[n - 1] == '/')
        copy[--n] = '\0';
    char *slash = strrchr(copy, '/');
    const char *base = slash ? slash + 1 : copy;
    if (!*base) {
        *name = xstrdup(".");
        int fd = path_open_in_root(rootfd, "/", O_PATH | O_DIRECTORY, 0);
        return fd < 0 ? error_sys(err, -fd, "open the rootfs") : fd;
    }
    _cleanup_free_ char *last = xstrdup(base);
    if (slash)
        *slash = '\0';
    else
        copy[0] = '\0';
    int fd;
    if (create) {
        fd = path_mkdir_in_root(rootfd, copy, 0755, err);
    } else {
        fd = path_open_in_root(rootfd, copy, O_PATH | O_DIRECTORY, 0);
        if (fd < 0)
            fd = error_sys(err, -fd, "open %s in the rootfs", *copy ? copy : "/");
    }
    if (fd >= 0)
        *name = TAKE_PTR(last);
    return fd;
}

int path_create_in_root(int rootfd, const char *path, bool dir, struct error **err) {
    int fd = path_open_in_root(rootfd, path, O_PATH, 0);
    if (fd >= 0)
        return fd;
    if (fd != -ENOENT)
        return error_sys(err, -fd, "open %s in the rootfs", path);

    _cleanup_free_ char *name = NULL;
    _cleanup_close_ int parent = path_open_parent_in_root(rootfd, path, true, &name, err);
    if (parent < 0)
        return parent;
    int r = dir ? mkdirat(parent, name, 0755) : mknodat(parent, name, S_IFREG | 0644, 0);
    if (r < 0 && errno != EEXIST)
        return error_sys(err, errno, "create %s %s in the rootfs", dir ? "directory" : "file", path);
    return reopen_created(rootfd, path, O_PATH, err);
}
