/* The cgroupfs operations both versions share, all through the hierarchy's mount fd. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "internal.h"

#define RMDIR_BUSY_WAIT_MS 1000
#define RMDIR_BUSY_STEP_MS 10

const char *cg_rel(const char *path) {
    while (*path == '/')
        path++;
    return *path ? path : ".";
}

/* "/sys/fs/cgroup/memory/a/b" (+ "/file"), for messages. */
static char *full_path(const struct cg_hierarchy *h, const char *dir, const char *file) {
    const char *d = strcmp(dir, "/") == 0 ? "" : dir;
    return file ? xasprintf("%s%s/%s", h->mount_point, d, file) : xasprintf("%s%s", h->mount_point, d);
}

static char *rel_file(const char *dir, const char *file) {
    const char *r = cg_rel(dir);
    return strcmp(r, ".") == 0 ? xstrdup(file) : xasprintf("%s/%s", r, file);
}

int cg_fs_read(const struct cg_hierarchy *h, const char *dir, const char *file, char **out, struct error **err) {
    _cleanup_free_ char *rel = rel_file(dir, file);
    _cleanup_error_ struct error *e = NULL;
    int r = read_file_at(h->mount_fd, rel, out, NULL, &e);
    if (r < 0) {
        _cleanup_free_ char *full = full_path(h, dir, file);
        return error_sys(err, r, "read %s", full);
    }
    return 0;
}

int cg_fs_write(const struct cg_hierarchy *h, const char *dir, const char *file, const char *data,
                struct error **err) {
    _cleanup_free_ char *rel = rel_file(dir, file);
    _cleanup_close_ int fd = openat(h->mount_fd, rel, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0 || write_all(fd, data, strlen(data)) < 0) {
        int e = errno;
        _cleanup_free_ char *full = full_path(h, dir, file);
        return error_sys(err, e, "write \"%s\" to %s", data, full);
    }
    return 0;
}

int cg_fs_mkdirs(struct cg_hierarchy *h, int (*made)(struct cg_hierarchy *h, const char *dir, struct error **err),
                 struct error **err) {
    const char *p = h->path;
    for (const char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        _cleanup_free_ char *dir = xstrndup(p, (size_t)(s - p));
        if (mkdirat(h->mount_fd, cg_rel(dir), 0755) == 0) {
            strv_push(&h->created, xstrdup(dir));
            int r = made ? made(h, dir, err) : 0;
            if (r < 0)
                return r;
        } else if (errno != EEXIST) {
            int e = errno;
            _cleanup_free_ char *full = full_path(h, dir, NULL);
            return error_sys(err, e, "mkdir %s", full);
        }
        if (*s == '\0')
            return 0;
    }
}

int cg_fs_write_procs(struct cg_hierarchy *h, pid_t pid, struct error **err) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%d", (int)pid);
    return cg_fs_write(h, h->path, "cgroup.procs", buf, err);
}

int cg_fs_read_pids(const struct cg_hierarchy *h, pid_t **pids, size_t *n, struct error **err) {
    _cleanup_free_ char *text = NULL;
    int r = cg_fs_read(h, h->path, "cgroup.procs", &text, err);
    if (r < 0)
        return r;
    pid_t *v = NULL;
    size_t count = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int64_t pid;
        if (parse_int64(line, &pid) < 0 || pid <= 0) {
            free(v);
            _cleanup_free_ char *full = full_path(h, h->path, "cgroup.procs");
            return error_new(err, EINVAL, "%s: unexpected line \"%s\"", full, line);
        }
        v = xrealloc(v, (count + 1) * sizeof(*v));
        v[count++] = (pid_t)pid;
    }
    *pids = v;
    *n = count;
    return 0;
}

static void sleep_ms(long ms) {
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* rmdir, waiting while the cgroup is busy (its last processes are still exiting). */
static int rmdir_wait(int dirfd, const char *rel) {
    for (int waited = 0;; waited += RMDIR_BUSY_STEP_MS) {
        if (unlinkat(dirfd, rel, AT_REMOVEDIR) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY || waited >= RMDIR_BUSY_WAIT_MS)
            return -errno;
        sleep_ms(RMDIR_BUSY_STEP_MS);
    }
}

int cg_fs_rmdirs(struct cg_hierarchy *h, struct error **err) {
    size_t n = strv_length(h->created);
    int ret = 0;
    char **left = NULL;
    for (size_t i = n; i-- > 0;) {
        bool own = !strcmp(h->created[i], h->path);
        int r;
        if (ret < 0)
            r = ret; /* under a cgroup that stays: kept for a later destroy */
        else if (own)
            r = rmdir_wait(h->mount_fd, cg_rel(h->created[i]));
        else
            r = unlinkat(h->mount_fd, cg_rel(h->created[i]), AT_REMOVEDIR) == 0 || errno == ENOENT ? 0 : -errno;
        if (!own && r == -EBUSY && ret == 0) {
            /* A parent this container made that other cgroups live in now (two containers under
             * one new parent): theirs too, left as it is, as runc and crun leave every parent;
             * no longer this container's to remove. */
            log_debug("cgroup %s: not removed, other cgroups are under it", h->created[i]);
            continue;
        }
        if (r < 0) {
            if (ret == 0) {
                _cleanup_free_ char *full = full_path(h, h->created[i], NULL);
                ret = error_sys(err, -r, "rmdir %s", full);
            }
            strv_push(&left, xstrdup(h->created[i]));
        }
    }
    /* Keep what could not be removed (top-down again), so that a later destroy can retry. */
    size_t nl = strv_length(left);
    for (size_t i = 0; i < nl / 2; i++) {
        char *t = left[i];
        left[i] = left[nl - 1 - i];
        left[nl - 1 - i] = t;
    }
    strv_free(h->created);
    h->created = left;
    return ret;
}

void cg_sleep_ms(long ms) {
    sleep_ms(ms);
}

int cg_fs_set(const struct cg_hierarchy *h, const char *field, const char *file, const char *data,
              struct error **err) {
    int r = cg_fs_write(h, h->path, file, data, err);
    return r < 0 && field ? error_wrap(err, r, "%s", field) : r;
}

bool cg_fs_exists(const struct cg_hierarchy *h, const char *dir, const char *file) {
    _cleanup_free_ char *rel = rel_file(dir, file);
    return faccessat(h->mount_fd, rel, F_OK, 0) == 0;
}

int cg_fs_read_u64(const struct cg_hierarchy *h, const char *dir, const char *file, uint64_t *out,
                   struct error **err) {
    _cleanup_free_ char *text = NULL;
    int r = cg_fs_read(h, dir, file, &text, err);
    if (r < 0)
        return r;
    char *s = text + strspn(text, " \t\n");
    s[strcspn(s, " \t\n")] = '\0';
    if (strcmp(s, "max") == 0) {
        *out = UINT64_MAX;
        return 0;
    }
    if (parse_uint64(s, out) < 0) {
        _cleanup_free_ char *full = full_path(h, dir, file);
        return error_new(err, EINVAL, "%s: not a number: \"%s\"", full, s);
    }
    return 0;
}

int cg_fs_read_key(const struct cg_hierarchy *h, const char *dir, const char *file, const char *key,
                   uint64_t *out, struct error **err) {
    _cleanup_free_ char *text = NULL;
    int r = cg_fs_read(h, dir, file, &text, err);
    if (r < 0)
        return r;
    size_t klen = strlen(key);
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
            if (parse_uint64(line + klen + 1, out) < 0) {
                _cleanup_free_ char *full = full_path(h, dir, file);
                return error_new(err, EINVAL, "%s: %s: not a number: \"%s\"", full, key, line + klen + 1);
            }
            return 0;
        }
        line = nl ? nl + 1 : NULL;
    }
    return -ENOENT;
}

bool cg_has_controller(const struct cg_hierarchy *h, const char *name) {
    _cleanup_free_ char *list = xasprintf(",%s,", h->controllers);
    _cleanup_free_ char *needle = xasprintf(",%s,", name);
    return strstr(list, needle) != NULL;
}
