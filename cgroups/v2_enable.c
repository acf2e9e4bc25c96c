/* cgroup v2: which controllers the caller's cgroup offers, and enabling one down to the
 * container's parent (cgroup.subtree_control of each directory on the way). */
#include <errno.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "v2_internal.h"

/* Whether `word` is one of the blank-separated words of text. */
static bool has_word(const char *text, const char *word) {
    size_t n = strlen(word);
    for (const char *p = text; *p;) {
        p += strspn(p, " \t\n");
        size_t len = strcspn(p, " \t\n");
        if (len == n && strncmp(p, word, n) == 0)
            return true;
        p += len;
    }
    return false;
}

bool cg_v2_has_controller(const struct cg_hierarchy *h, const char *name) {
    _cleanup_free_ char *text = NULL;
    if (cg_fs_read(h, h->own, "cgroup.controllers", &text, NULL) < 0)
        return false;
    return has_word(text, name);
}

bool cg_v2_available(const struct cg_hierarchy *h, enum cg_controller c) {
    switch (c) {
    case CG_CPUACCT:
    case CG_DEVICES:
    case CG_FREEZER:
        return true; /* cpu.stat, BPF device programs and cgroup.freeze are built into v2 */
    case CG_NET_CLS:
    case CG_NET_PRIO:
        return false;
    default: {
        const char *name = cg_controller_v2_name(c);
        return name && cg_v2_has_controller(h, name);
    }
    }
}

/* The deepest directory that contains both a and b (normalized paths). */
static char *common_ancestor(const char *a, const char *b) {
    size_t last = 0;
    for (size_t i = 0;; i++) {
        bool end_a = a[i] == '\0' || a[i] == '/', end_b = b[i] == '\0' || b[i] == '/';
        if (end_a && end_b) {
            last = i;
            if (a[i] == '\0' || b[i] == '\0')
                break;
        } else if (a[i] != b[i]) {
            break;
        }
    }
    return last == 0 ? xstrdup("/") : xstrndup(a, last);
}

static int enable_in(struct cg_hierarchy *h, const char *dir, const char *name, struct error **err) {
    _cleanup_free_ char *current = NULL;
    int r = cg_fs_read(h, dir, "cgroup.subtree_control", &current, err);
    if (r < 0)
        return r;
    if (has_word(current, name))
        return 0;
    _cleanup_free_ char *cmd = xasprintf("+%s", name);
    _cleanup_error_ struct error *e = NULL;
    r = cg_fs_write(h, dir, "cgroup.subtree_control", cmd, &e);
    if (r == -EBUSY)
        return error_new(err, EBUSY,
                         "enable the %s controller: %s (%s%s holds processes, and cgroup v2 passes controllers "
                         "down only from cgroups without processes; give linux.cgroupsPath as an absolute path "
                         "whose parent cgroups hold no processes, outside the runtime's own cgroup)",
                         name, e->msg, h->mount_point, strcmp(dir, "/") == 0 ? "" : dir);
    if (r < 0)
        return error_new(err, -r, "enable the %s controller: %s", name, e->msg);
    return 0;
}

int cg_v2_enable_name(struct cg_hierarchy *h, const char *name, struct error **err) {
    _cleanup_free_ char *start = common_ancestor(h->own, h->path);
    int r = enable_in(h, start, name, err);
    if (r < 0)
        return r;
    const char *path = h->path;
    for (size_t j = strcmp(start, "/") == 0 ? 1 : strlen(start) + 1; j < strlen(path); j++) {
        if (path[j] != '/')
            continue;
        _cleanup_free_ char *dir = xstrndup(path, j);
        if ((r = enable_in(h, dir, name, err)) < 0)
            return r;
    }
    return 0;
}

int cg_v2_enable(struct cg_hierarchy *h, enum cg_controller c, struct error **err) {
    const char *name = cg_controller_v2_name(c);
    if (c == CG_CPUACCT || c == CG_DEVICES || c == CG_FREEZER)
        return 0;
    if (!name)
        return error_new(err, ENOTSUP, "cgroup v2 has no %s controller", cg_controller_v1_name(c));
    return cg_v2_enable_name(h, name, err);
}
