/* cgroup v2: linux.resources.unified, raw "file": "value" pairs, validated before anything is
 * written: a plain file name of the container's cgroup, "cgroup.*" or "<controller>.*" with
 * the controller available to the caller's cgroup. */
#include <errno.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v2_internal.h"

/* The controller a key needs ("" for cgroup.*), or an error naming the key. */
static int check_key(const struct cg_hierarchy *h, const char *key, char **ctrl, struct error **err) {
    if (!*key || strchr(key, '/') || strcmp(key, ".") == 0 || strcmp(key, "..") == 0)
        return error_new(err, EINVAL, "linux.resources.unified.\"%s\": not a file name of the cgroup", key);
    const char *dot = strchr(key, '.');
    if (!dot || dot == key || !dot[1])
        return error_new(err, EINVAL, "linux.resources.unified.\"%s\": want CONTROLLER.NAME or cgroup.NAME", key);
    _cleanup_free_ char *c = xstrndup(key, (size_t)(dot - key));
    if (strcmp(c, "cgroup") == 0) {
        *ctrl = xstrdup("");
        return 0;
    }
    if (!cg_v2_has_controller(h, c))
        return error_new(err, ENOTSUP, "linux.resources.unified.\"%s\": the %s controller is not available in %s%s",
                         key, c, h->mount_point, h->own);
    *ctrl = TAKE_PTR(c);
    return 0;
}

/* A value of several lines (io.max for two devices) is written a line at a time, as the kernel
 * reads one setting per write. */
static int write_value(const struct cg_hierarchy *h, const char *key, const char *value, struct error **err) {
    if (!strchr(value, '\n'))
        return cg_fs_write(h, h->path, key, value, err);
    _cleanup_free_ char *copy = xstrdup(value);
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int r = cg_fs_write(h, h->path, key, line, err);
        if (r < 0)
            return r;
    }
    return 0;
}

int cg_v2_apply_unified(struct cg_hierarchy *h, const struct oci_key_value *kv, size_t n, struct error **err) {
    _cleanup_strv_ char **ctrls = NULL;
    for (size_t i = 0; i < n; i++) {
        char *c = NULL;
        int r = check_key(h, kv[i].key, &c, err);
        if (r < 0)
            return r;
        strv_push(&ctrls, c);
    }
    for (size_t i = 0; i < n; i++) {
        int r = *ctrls[i] ? cg_v2_enable_name(h, ctrls[i], err) : 0;
        if (r >= 0)
            r = write_value(h, kv[i].key, kv[i].value, err);
        if (r < 0)
            return error_wrap(err, r, "linux.resources.unified.\"%s\"", kv[i].key);
    }
    return 0;
}
