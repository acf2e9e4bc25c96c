/* Idmapped bind mounts: a user namespace that carries the mount's mapping, given to
 * mount_setattr(MOUNT_ATTR_IDMAP) on the detached tree before it is moved in place. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "mounts.h"

static int write_map(const char *pid, const char *file, const struct oci_idmap *maps, size_t n, struct error **err) {
    _cleanup_free_ char *text = xstrdup("");
    for (size_t i = 0; i < n; i++) {
        char *t = xasprintf("%s%u %u %u\n", text, maps[i].container_id, maps[i].host_id, maps[i].size);
        free(text);
        text = t;
    }
    _cleanup_free_ char *path = xasprintf("/proc/%s/%s", pid, file);
    return write_file_at(AT_FDCWD, path, text, err);
}

/* The helper: unshare a user namespace, tell its pid as /proc names it (not as our pid namespace
 * does) or "-errno", then wait until the parent closes `hold`.  Async-signal-safe only. */
static _Noreturn void helper(int ready, int hold) {
    char buf[32];
    ssize_t n;
    if (unshare(CLONE_NEWUSER) < 0) {
        char digits[16];
        int e = errno, k = 0;
        do {
            digits[k++] = (char)('0' + e % 10);
            e /= 10;
        } while (e && k < (int)sizeof(digits));
        n = 0;
        buf[n++] = '-';
        while (k > 0)
            buf[n++] = digits[--k];
    } else {
        n = readlink("/proc/self", buf, sizeof(buf));
    }
    if (n > 0)
        (void)!write(ready, buf, (size_t)n);
    close(ready);
    char b;
    (void)!read(hold, &b, 1);
    _exit(0);
}

static int make_userns(const char *pid, const struct oci_mount *m, struct error **err) {
    if (pid[0] == '-')
        return error_sys(err, atoi(pid + 1), "idmap: unshare a user namespace for the mapping");
    int r = write_map(pid, "uid_map", m->uid_mappings, m->n_uid_mappings, err);
    if (r < 0 || (r = write_map(pid, "gid_map", m->gid_mappings, m->n_gid_mappings, err)) < 0)
        return error_wrap(err, r, "idmap");
    _cleanup_free_ char *path = xasprintf("/proc/%s/ns/user", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    return fd < 0 ? error_sys(err, errno, "idmap: open %s", path) : fd;
}

static int idmap_userns(const struct oci_mount *m, struct error **err) {
    int ready[2], hold[2];
    if (pipe2(ready, O_CLOEXEC) < 0)
        return error_sys(err, errno, "idmap: pipe");
    if (pipe2(hold, O_CLOEXEC) < 0) {
        int e = errno;
        close(ready[0]);
        close(ready[1]);
        return error_sys(err, e, "idmap: pipe");
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(ready[0]);
        close(hold[1]);
        helper(ready[1], hold[0]);
    }
    int e = errno;
    close(ready[1]);
    close(hold[0]);
    int r;
    char buf[32] = "";
    if (pid < 0) {
        r = error_sys(err, e, "idmap: fork");
    } else {
        ssize_t n = read_all(ready[0], buf, sizeof(buf) - 1);
        buf[n > 0 ? n : 0] = '\0';
        r = n > 0 ? make_userns(buf, m, err) : error_new(err, EIO, "idmap: the user namespace helper died");
    }
    close(ready[0]);
    close(hold[1]);
    if (pid > 0)
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    return r;
}

int mounts_idmap_check(const struct rootfs_ctx *c, const struct oci_mount *m, struct error **err) {
    if (c->in_userns)
        return error_new(err, ENOTSUP,
                         "idmapped mounts are not supported yet in a container with a user namespace "
                         "(the kernel wants them made from the host's user namespace)");
    if (!m->n_uid_mappings || !m->n_gid_mappings)
        return error_new(err, EINVAL,
                         "idmap needs both uidMappings and gidMappings on the mount "
                         "(the container has no user namespace to take them from)");
    return 0;
}

int mounts_idmap(const struct rootfs_ctx *c, const struct oci_mount *m, int tree, struct error **err) {
    int r = mounts_idmap_check(c, m, err);
    if (r < 0)
        return r;
    _cleanup_close_ int userns = idmap_userns(m, err);
    if (userns < 0)
        return userns;
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns};
    unsigned flags = AT_EMPTY_PATH | (m->ridmap ? AT_RECURSIVE : 0);
    if (mount_setattr(tree, "", flags, &attr, sizeof(attr)) < 0)
        return error_sys(err, errno, "mount_setattr(MOUNT_ATTR_IDMAP)");
    return 0;
}
