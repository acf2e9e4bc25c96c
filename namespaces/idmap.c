/* User namespace id maps, written by the parent into /proc/<pid>/{uid_map,setgroups,gid_map}. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "ns.h"

/* "cid hid size\n" per mapping: the kernel takes a map in one write only. */
static char *format_map(const struct oci_idmap *m, size_t n) {
    char *buf = xstrdup("");
    for (size_t i = 0; i < n; i++) {
        char *next = xasprintf("%s%u %u %u\n", buf, m[i].container_id, m[i].host_id, m[i].size);
        free(buf);
        buf = next;
    }
    return buf;
}

/* For messages: "0 1000 1, 1 100000 65536". */
static char *describe_map(const struct oci_idmap *m, size_t n) {
    char *buf = xstrdup("");
    for (size_t i = 0; i < n; i++) {
        char *next = xasprintf("%s%s%u %u %u", buf, i ? ", " : "", m[i].container_id, m[i].host_id, m[i].size);
        free(buf);
        buf = next;
    }
    return buf;
}

static int write_proc(pid_t pid, const char *file, const char *data, const char *what, struct error **err) {
    _cleanup_free_ char *path = xasprintf("/proc/%d/%s", (int)pid, file);
    _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return error_sys(err, errno, "open %s", path);
    size_t len = strlen(data);
    ssize_t w = write(fd, data, len);
    if (w < 0)
        return error_sys(err, errno, "write %s to %s", what, path);
    if ((size_t)w != len)
        return error_new(err, EIO, "write %s to %s: short write", what, path);
    return 0;
}

static int write_map(pid_t pid, const char *file, const char *field, const struct oci_idmap *m, size_t n,
                     struct error **err) {
    if (n == 0)
        return 0;
    _cleanup_free_ char *data = format_map(m, n), *desc = describe_map(m, n);
    _cleanup_free_ char *what = xasprintf("%s [%s]", field, desc);
    return write_proc(pid, file, data, what, err);
}

int ns_write_id_maps(pid_t pid, const struct oci_linux *linux, bool deny_setgroups, struct error **err) {
    int r = write_map(pid, "uid_map", "linux.uidMappings", linux->uid_mappings, linux->n_uid_mappings, err);
    if (r < 0)
        return r;
    /* "allow" is the kernel's default for a new user namespace (and cannot be restored where the
     * parent namespace denies), so only "deny" is written. */
    if (deny_setgroups) {
        r = write_proc(pid, "setgroups", "deny", "\"deny\"", err);
        if (r < 0)
            return r;
    }
    return write_map(pid, "gid_map", "linux.gidMappings", linux->gid_mappings, linux->n_gid_mappings, err);
}
