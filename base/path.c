#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "util.h"

static bool g_no_openat2;

void path_disable_openat2(bool disable) { g_no_openat2 = disable; }

#define PATH_MAX_LINKS 40

/* Step into `name` (not "." or "..") of *cur: a directory, O_NOFOLLOW. */
static int step_down(int *cur, const char *name) {
    int fd = openat(*cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    close(*cur);
    *cur = fd;
    return 0;
}

/* RESOLVE_IN_ROOT in userspace, for kernels without openat2 (< 5.6): one component at a time,
 * each opened O_NOFOLLOW; a symlink is read and spliced in front of the rest of the path (an
 * absolute one restarts at the root); ".." never climbs above the root.  Magic links are read
 * as text like any symlink, so they are never followed either. */
static int open_in_root_slow(int rootfd, const char *path, int flags, mode_t mode) {
    _cleanup_close_ int cur = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (cur < 0)
        return -errno;
    _cleanup_free_ char *rest = xstrdup(path);
    const char *p = rest;
    int depth = 0, links = 0, r = 0;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p)
            return (r = openat(cur, ".", flags | O_CLOEXEC, mode)) < 0 ? -errno : r;
        const char *end = strchrnul(p, '/'), *after = end;
        while (*after == '/')
            after++;
        bool last = !*after;
        _cleanup_free_ char *name = xstrndup(p, (size_t)(end - p));
        p = end;
        if (strcmp(name, ".") == 0)
            continue;
        if (strcmp(name, "..") == 0) {
            if (depth > 0 && (r = step_down(&cur, "..")) < 0)
                return r;
            depth -= depth > 0;
            continue;
        }
        struct stat st;
        bool missing = false;
        if (fstatat(cur, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            if (errno != ENOENT || !last || !(flags & O_CREAT))
                return -errno;
            missing = true; /* to be created by the last openat */
        }
        if (!missing && S_ISLNK(st.st_mode) && !(last && (flags & O_NOFOLLOW))) {
            char target[PATH_MAX];
            ssize_t n = readlinkat(cur, name, target, sizeof(target) - 1);
            if (n < 0)
                return -errno;
            if (++links > PATH_MAX_LINKS)
                return -ELOOP;
            target[n] = '\0';
            if (target[0] == '/') {
                close(cur);
                if ((cur = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
                    return -errno;
                depth = 0;
            }
            char *spliced = xasprintf("%s/%s", target, p);
            free(rest);
            p = rest = spliced;
            continue;
        }
        if (last)
            return (r = openat(cur, name, flags | O_NOFOLLOW | O_CLOEXEC, mode)) < 0 ? -errno : r;
        if ((r = step_down(&cur, name)) < 0)
            return r;
        depth++;
    }
}

int path_open_in_root(int rootfd, const char *path, int flags, mode_t mode) {
    struct open_how how = {
        .flags = (uint64_t)(flags | O_CLOEXEC),
        .mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    if (!path || !*path)
        path = "/";
    while (!g_no_openat2) {
        long fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
        if (fd >= 0)
            return (int)fd;
        if (errno == ENOSYS)
            g_no_openat2 = true;
        else if (errno != EINTR && errno != EAGAIN) /* EAGAIN: a concurrent rename; retry */
            return -errno;
    }
    return open_in_root_slow(rootfd, path, flags, mode);
}

char *path_clean(const char *path) {
    char *out = xmalloc(strlen(path ? path : "") + 2);
    size_t n = 0;
    out[n++] = '/';
    for (const char *p = path ? path : ""; *p;) {
        while (*p == '/')
            p++;
        size_t len = strcspn(p, "/");
        if (len == 0 || (len == 1 && p[0] == '.')) {
            /* nothing */
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            while (n > 1 && out[n - 1] != '/')
                n--;
            if (n > 1)
                n--; /* the slash before the dropped component */
        } else {
            if (n > 1)
                out[n++] = '/';
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
    }
    out[n] = '\0';
    return out;
}

const char *path_fd_proc(int fd, char buf[PATH_FD_PROC_MAX]) {
    snprintf(buf, PATH_FD_PROC_MAX, "/proc/self/fd/%d", fd);
    return buf;
}

/* Split path into its parent ("" for the root) and last component (NULL for the root itself). */
static void split_parent(const char *path, char **parent, char **name) {
    char *copy = xstrdup(path ? path : "");
    size_t n = strlen(copy);
    while (n > 0 && copy[n - 1] == '/')
        copy[--n] = '\0';
    char *slash = strrchr(copy, '/');
    const char *base = slash ? slash + 1 : copy;
    *name = *base ? xstrdup(base) : NULL;
    if (slash)
        *slash = '\0';
    else
        copy[0] = '\0';
    *parent = copy;
}

/* mkdirat or mknodat said EEXIST and the name still does not open: it is a symlink to something
 * missing.  As runc does, what it points to is created instead, inside the root: the new path is
 * the link's target (from the root when absolute, else from the link's directory) and the rest. */
static char *follow_dangling(int dir, const char *name, const char *link_dir, const char *rest, int *links,
                             struct error **err) {
    char target[PATH_MAX];
    ssize_t n = readlinkat(dir, name, target, sizeof(target) - 1);
    if (n < 0) {
        error_sys(err, errno, "%s/%s in the rootfs: neither there nor a symlink", link_dir, name);
        return NULL;
    }
    if (++*links > PATH_MAX_LINKS) {
        error_sys(err, ELOOP, "%s/%s in the rootfs", link_dir, name);
        return NULL;
    }
    target[n] = '\0';
    if (target[0] == '/')
        return xasprintf("%s/%s", target, rest);
    return xasprintf("%s/%s/%s", link_dir, target, rest);
}

/* A name just made (or found existing) in dir that its path from the root does not reach: the
 * rootfs may have swapped a directory on that path for a symlink since dir was opened.  What is
 * in dir under that name now, unless it is a symlink (then, or when missing, -ENOENT), opened
 * O_PATH | flags without following it: it is inside the root as dir is. */
static int existing_in(int dir, const char *name, int flags) {
    int fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC | flags);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISLNK(st.st_mode))
        return fd;
    if (fd >= 0)
        close(fd);
    return -ENOENT;
}

static int mkdir_in_root(int rootfd, const char *path, mode_t mode, int *links, struct error **err) {
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
        _cleanup_free_ char *parent = TAKE_PTR(prefix);
        prefix = xasprintf("%s/%s", parent, comp);
        p = end;

        int fd = path_open_in_root(rootfd, prefix, O_PATH | O_DIRECTORY, 0);
        if (fd == -ENOENT) {
            if (mkdirat(cur, comp, mode) < 0 && errno != EEXIST)
                return error_sys(err, errno, "mkdir %s in the rootfs", prefix);
            fd = path_open_in_root(rootfd, prefix, O_PATH | O_DIRECTORY, 0);
            if (fd == -ENOENT)
                fd = existing_in(cur, comp, O_DIRECTORY);
            if (fd == -ENOENT) {
                _cleanup_free_ char *next = follow_dangling(cur, comp, parent, p, links, err);
                return next ? mkdir_in_root(rootfd, next, mode, links, err) : -ENOENT;
            }
        }
        if (fd < 0)
            return error_sys(err, -fd, "open %s in the rootfs", prefix);
        close(cur);
        cur = fd;
    }
    return TAKE_FD(cur);
}

int path_mkdir_in_root(int rootfd, const char *path, mode_t mode, struct error **err) {
    int links = 0;
    return mkdir_in_root(rootfd, path, mode, &links, err);
}

static int open_parent(int rootfd, const char *path, bool create, char **name, int *links, struct error **err) {
    _cleanup_free_ char *dir = NULL, *last = NULL;
    split_parent(path, &dir, &last);
    int fd;
    if (create) {
        fd = mkdir_in_root(rootfd, dir, 0755, links, err);
    } else {
        fd = path_open_in_root(rootfd, dir, O_PATH | O_DIRECTORY, 0);
        if (fd < 0)
            fd = error_sys(err, -fd, "open %s in the rootfs", *dir ? dir : "/");
    }
    if (fd >= 0)
        *name = last ? TAKE_PTR(last) : xstrdup(".");
    return fd;
}

int path_open_parent_in_root(int rootfd, const char *path, bool create, char **name, struct error **err) {
    int links = 0;
    return open_parent(rootfd, path, create, name, &links, err);
}

static int create_in_root(int rootfd, const char *path, bool dir, int *links, struct error **err) {
    int fd = path_open_in_root(rootfd, path, O_PATH, 0);
    if (fd >= 0)
        return fd;
    if (fd != -ENOENT)
        return error_sys(err, -fd, "open %s in the rootfs", path);

    _cleanup_free_ char *name = NULL;
    _cleanup_close_ int parent = open_parent(rootfd, path, true, &name, links, err);
    if (parent < 0)
        return parent;
    int r = dir ? mkdirat(parent, name, 0755) : mknodat(parent, name, S_IFREG | 0644, 0);
    if (r < 0 && errno != EEXIST)
        return error_sys(err, errno, "create %s %s in the rootfs", dir ? "directory" : "file", path);
    fd = path_open_in_root(rootfd, path, O_PATH, 0);
    if (fd == -ENOENT)
        fd = existing_in(parent, name, 0);
    if (fd == -ENOENT) {
        _cleanup_free_ char *pdir = NULL, *last = NULL;
        split_parent(path, &pdir, &last);
        _cleanup_free_ char *next = follow_dangling(parent, name, pdir, "", links, err);
        return next ? create_in_root(rootfd, next, dir, links, err) : -ENOENT;
    }
    return fd < 0 ? error_sys(err, -fd, "open %s in the rootfs", path) : fd;
}

int path_create_in_root(int rootfd, const char *path, bool dir, struct error **err) {
    int links = 0;
    return create_in_root(rootfd, path, dir, &links, err);
}
