/* Where the container's cgroup goes in a hierarchy (linux.cgroupsPath rules, see cgroup.h). */
#include <errno.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "internal.h"

/* "/" + the components of p without "", "." (so "a//./b/" → "/a/b"); "" when none.  -EINVAL
 * for a ".." component. */
static int normalize(const char *p, char **out) {
    _cleanup_free_ char *copy = xstrdup(p);
    size_t cap = strlen(p) + 2;
    _cleanup_free_ char *res = xcalloc(cap, 1);
    char *save = NULL;
    for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (strcmp(c, ".") == 0)
            continue;
        if (strcmp(c, "..") == 0)
            return -EINVAL;
        strcat(res, "/");
        strcat(res, c);
    }
    *out = TAKE_PTR(res);
    return 0;
}

static char *join(const char *own, const char *rel) {
    return xasprintf("%s%s", strcmp(own, "/") == 0 ? "" : own, rel);
}

static int path_for_id(const char *id, const char *own, char **out, struct error **err) {
    if (!id || !*id || strchr(id, '/') || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
        return error_new(err, EINVAL, "container id \"%s\" cannot name a cgroup", id ? id : "");
    _cleanup_free_ char *rel = xasprintf("/%s", id);
    *out = join(own, rel);
    return 0;
}

int cg_compute_path(const char *cgroups_path, const char *id, const char *own, char **out,
                    struct error **err) {
    if (!cgroups_path || !*cgroups_path)
        return path_for_id(id, own, out, err);
    if (strchr(cgroups_path, ':'))
        return error_new(err, EINVAL, "linux.cgroupsPath: systemd cgroup paths need systemd, which is not running");
    _cleanup_free_ char *norm = NULL;
    if (normalize(cgroups_path, &norm) < 0)
        return error_new(err, EINVAL, "linux.cgroupsPath: \"%s\" must not contain \"..\"", cgroups_path);
    if (!*norm)
        return error_new(err, EINVAL, "linux.cgroupsPath: \"%s\" names no cgroup below %s", cgroups_path,
                         cgroups_path[0] == '/' ? "the hierarchy root" : "the runtime's own cgroup");
    *out = cgroups_path[0] == '/' ? TAKE_PTR(norm) : join(own, norm);
    return 0;
}

bool cg_path_contains(const char *a, const char *b) {
    if (strcmp(a, "/") == 0)
        return true;
    size_t n = strlen(a);
    return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}
