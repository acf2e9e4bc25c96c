/* Last steps before the exec of process.args: find the executable, mark inherited fds close-on-exec. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "process.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* 0 when path is an executable regular file; else -errno (ENOENT, EISDIR, EACCES...). */
static int check_executable(const char *path) {
    struct stat st;
    if (stat(path, &st) < 0)
        return -errno;
    if (S_ISDIR(st.st_mode))
        return -EISDIR;
    if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
        return -EACCES;
    /* the effective ids decide, and a noexec mount answers EACCES too */
    if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0)
        return -errno;
    return 0;
}

static const char *path_from_env(char *const *env) {
    const char *path = NULL;
    for (size_t i = 0; env && env[i]; i++)
        if (str_has_prefix(env[i], "PATH="))
            path = env[i] + 5; /* the last one wins, as getenv would see after a putenv */
    return path ? path : DEFAULT_PATH;
}

/* Like execvp: the first executable match wins; a match that is not executable is remembered so
 * that the error says "permission denied" rather than "not found". */
static int search_path(const char *name, const char *path, char **out, struct error **err) {
    _cleanup_free_ char *denied = NULL;
    const char *s = path;
    for (;;) {
        size_t len = strcspn(s, ":");
        _cleanup_free_ char *cand = len ? xasprintf("%.*s/%s", (int)len, s, name) : xasprintf("./%s", name);
        int r = check_executable(cand);
        if (r == 0) {
            *out = TAKE_PTR(cand);
            return 0;
        }
        if (r == -EACCES && !denied)
            denied = TAKE_PTR(cand);
        if (s[len] == '\0')
            break;
        s += len + 1;
    }
    if (denied)
        return error_new(err, EACCES, "process.args[0]: \"%s\": permission denied (found %s)", name, denied);
    return error_new(err, ENOENT, "process.args[0]: \"%s\": executable file not found in $PATH", name);
}

int process_find_executable(const struct oci_process *p, char **path_out, struct error **err) {
    if (!p->args || !p->args[0] || !p->args[0][0])
        return error_new(err, EINVAL, "process.args: must name the program to run");
    const char *name = p->args[0];
    if (!strchr(name, '/'))
        return search_path(name, path_from_env(p->env), path_out, err);
    int r = check_executable(name);
    if (r == -EISDIR)
        return error_new(err, EISDIR, "process.args[0]: \"%s\": is a directory", name);
    if (r == -EACCES)
        return error_new(err, EACCES, "process.args[0]: \"%s\": permission denied", name);
    if (r == -ENOENT) /* worded as runc's, which engines match (docker's exit 127) */
        return error_new(err, ENOENT, "process.args[0]: \"%s\": no such file or directory", name);
    if (r < 0)
        return error_sys(err, -r, "process.args[0]: \"%s\"", name);
    *path_out = xstrdup(name);
    return 0;
}

static int cloexec_from_proc(unsigned first, struct error **err) {
    _cleanup_closedir_ DIR *d = opendir("/proc/self/fd");
    if (!d)
        return error_sys(err, errno, "open /proc/self/fd");
    struct dirent *de;
    while ((de = readdir(d))) {
        int64_t fd;
        if (parse_int64(de->d_name, &fd) < 0 || fd < (int64_t)first || fd == dirfd(d))
            continue;
        int r = fd_set_cloexec((int)fd, true);
        if (r < 0 && r != -EBADF)
            return error_sys(err, -r, "set close-on-exec on fd %d", (int)fd);
    }
    return 0;
}

int process_close_fds(int preserve_fds, struct error **err) {
    unsigned first = 3 + (unsigned)(preserve_fds > 0 ? preserve_fds : 0);
    if (close_range(first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return 0;
    if (errno != ENOSYS && errno != EINVAL)
        return error_sys(err, errno, "close_range(%u, ~0, CLOSE_RANGE_CLOEXEC)", first);
    return cloexec_from_proc(first, err); /* kernels before 5.11 */
}
