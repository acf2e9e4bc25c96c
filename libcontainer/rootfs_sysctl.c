/* linux.sysctl: each key written under the container's /proc/sys, through a verified procfs
 * handle (base/procfs.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/procfs.h"
#include "../base/util.h"
#include "rootfs.h"

/* The file of a key, relative to /proc/sys, as sysctl(8) reads it: '.' separates, unless the first
 * separator is '/' ("net/ipv4/conf/eth0.100/forwarding"), then '/' does and dots are literal.
 * NULL for a key that is empty or has an empty, "." or ".." component (it must not leave /proc/sys). */
static char *sysctl_file(const char *key) {
    size_t first = strcspn(key, "./");
    bool slashes = key[first] == '/';
    char *p = xstrdup(key);
    if (!slashes)
        for (char *s = p; *s; s++)
            *s = *s == '.' ? '/' : *s == '/' ? '.' : *s;
    for (const char *c = p;;) {
        size_t n = strcspn(c, "/");
        if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.')) {
            free(p);
            return NULL;
        }
        if (!c[n])
            return p;
        c += n + 1;
    }
}

int rootfs_apply_sysctl(const struct oci_linux *linux, struct error **err) {
    if (!linux || !linux->n_sysctl)
        return 0;
    for (size_t i = 0; i < linux->n_sysctl; i++) {
        const struct oci_key_value *kv = &linux->sysctl[i];
        _cleanup_free_ char *file = sysctl_file(kv->key ? kv->key : "");
        if (!file)
            return error_new(err, EINVAL, "linux.sysctl[\"%s\"]: not a sysctl name", kv->key ? kv->key : "");
        _cleanup_free_ char *rel = xasprintf("sys/%s", file);
        int r = procfs_write(rel, kv->value ? kv->value : "", err);
        if (r < 0)
            return error_wrap(err, r, "linux.sysctl[\"%s\"] = \"%s\"", kv->key, kv->value ? kv->value : "");
    }
    return 0;
}
