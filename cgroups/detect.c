/* Which cgroup hierarchies are mounted, and where the caller sits in each: from the texts of
 * /proc/self/mountinfo and /proc/self/cgroup (pure functions, so tests can feed fake ones). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "internal.h"

static const char *const known_controllers[] = {
    "blkio", "cpu", "cpuacct", "cpuset", "debug", "devices", "freezer", "hugetlb",
    "memory", "misc", "net_cls", "net_prio", "perf_event", "pids", "rdma",
};

static bool is_controller(const char *tok) {
    if (str_has_prefix(tok, "name="))
        return true;
    for (size_t i = 0; i < ARRAY_SIZE(known_controllers); i++)
        if (strcmp(tok, known_controllers[i]) == 0)
            return true;
    return false;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split a comma list, keep the tokens `keep` accepts (all when NULL), sort, join. */
static char *sorted_list(const char *list, bool (*keep)(const char *)) {
    _cleanup_free_ char *copy = xstrdup(list);
    _cleanup_strv_ char **v = NULL;
    char *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (!keep || keep(t))
            strv_push(&v, xstrdup(t));
    size_t n = strv_length(v);
    if (n)
        qsort(v, n, sizeof(char *), cmp_str);
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(v[i]) + 1;
    char *out = xcalloc(len, 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, ",");
        strcat(out, v[i]);
    }
    return out;
}

/* One mountinfo line: "36 25 0:31 / /sys/fs/cgroup/memory rw,relatime shared:1 - cgroup cgroup rw,memory".
 * Returns 1 and fills m for a cgroup mount, 0 for anything else, < 0 for a malformed line. */
static int parse_mount_line(char *line, struct cg_mount *m) {
    char *f[64];
    size_t nf = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " ", &save); t && nf < ARRAY_SIZE(f); t = strtok_r(NULL, " ", &save))
        f[nf++] = t;
    size_t dash = 6;
    while (dash < nf && strcmp(f[dash], "-") != 0)
        dash++;
    if (nf < 10 || dash + 3 >= nf)
        return -EINVAL;
    const char *fstype = f[dash + 1], *super = f[dash + 3];
    int version = strcmp(fstype, "cgroup2") == 0 ? 2 : strcmp(fstype, "cgroup") == 0 ? 1 : 0;
    if (!version)
        return 0;
    m->version = version;
    m->root = xstrdup_unescape_octal(f[3]);
    m->mount_point = xstrdup_unescape_octal(f[4]);
    m->options = xstrdup(super);
    m->controllers = version == 2 ? xstrdup("") : sorted_list(super, is_controller);
    return 1;
}

int cg_parse_mountinfo(const char *text, struct cg_mount **out, size_t *n, struct error **err) {
    _cleanup_free_ char *copy = xstrdup(text);
    struct cg_mount *v = NULL;
    size_t count = 0, lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        struct cg_mount m = {0};
        int r = parse_mount_line(line, &m);
        if (r < 0) {
            cg_mounts_free(v, count);
            return error_new(err, EINVAL, "mountinfo line %zu: malformed", lineno);
        }
        if (r == 0)
            continue;
        v = xrealloc(v, (count + 1) * sizeof(*v));
        v[count++] = m;
    }
    *out = v;
    *n = count;
    return 0;
}

void cg_mounts_free(struct cg_mount *m, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(m[i].mount_point);
        free(m[i].root);
        free(m[i].options);
        free(m[i].controllers);
    }
    free(m);
}

int cg_parse_proc_cgroup(const char *text, struct cg_proc_entry **out, size_t *n, struct error **err) {
    _cleanup_free_ char *copy = xstrdup(text);
    struct cg_proc_entry *v = NULL;
    size_t count = 0, lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *c1 = strchr(line, ':');
        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2 || c2[1] != '/') {
            cg_proc_entries_free(v, count);
            return error_new(err, EINVAL, "/proc/self/cgroup line %zu: malformed: \"%s\"", lineno, line);
        }
        *c1 = *c2 = '\0';
        v = xrealloc(v, (count + 1) * sizeof(*v));
        v[count].version = strcmp(line, "0") == 0 && c1[1] == '\0' ? 2 : 1;
        v[count].controllers = sorted_list(c1 + 1, NULL);
        v[count].path = xstrdup(c2 + 1);
        count++;
    }
    *out = v;
    *n = count;
    return 0;
}

void cg_proc_entries_free(struct cg_proc_entry *e, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(e[i].controllers);
        free(e[i].path);
    }
    free(e);
}

/* Is every token of comma list `sub` in comma list `super`? */
static bool list_subset(const char *sub, const char *super) {
    _cleanup_free_ char *copy = xstrdup(sub);
    _cleanup_free_ char *wrapped = xasprintf(",%s,", super);
    char *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        _cleanup_free_ char *needle = xasprintf(",%s,", t);
        if (!strstr(wrapped, needle))
            return false;
    }
    return true;
}

/* Does mount m show the hierarchy of entry e, with e's path inside it?  On success *own is e's
 * path relative to the mount point. */
static bool mount_matches(const struct cg_mount *m, const struct cg_proc_entry *e, char **own) {
    if (m->version != e->version)
        return false;
    /* v1: the entry's controllers all appear in the super options (unknown controllers too),
     * and every controller the mount names is the entry's. */
    if (m->version == 1 && (!list_subset(e->controllers, m->options) || !list_subset(m->controllers, e->controllers) ||
                            !*e->controllers))
        return false;
    if (strcmp(m->root, "/") == 0) {
        *own = xstrdup(e->path);
        return true;
    }
    if (!cg_path_contains(m->root, e->path))
        return false;
    const char *rest = e->path + strlen(m->root);
    *own = xstrdup(*rest ? rest : "/");
    return true;
}

/* The entry matched by mount m (each entry used once), or NULL. */
static const struct cg_proc_entry *entry_for_mount(const struct cg_mount *m, const struct cg_proc_entry *e,
                                                   size_t ne, bool *used, char **own) {
    for (size_t j = 0; j < ne; j++) {
        if (!used[j] && mount_matches(m, &e[j], own)) {
            used[j] = true;
            return &e[j];
        }
    }
    return NULL;
}

static int detect_from(const struct cg_mount *m, size_t nm, const struct cg_proc_entry *e, size_t ne,
                       struct cg_hierarchy **out, size_t *n) {
    _cleanup_free_ bool *used = xcalloc(ne ? ne : 1, sizeof(bool));
    struct cg_hierarchy *h = NULL;
    size_t count = 0;
    for (size_t i = 0; i < nm; i++) {
        char *own = NULL;
        const struct cg_proc_entry *hit = entry_for_mount(&m[i], e, ne, used, &own);
        if (!hit) {
            log_debug("cgroup: skipping %s (no matching /proc/self/cgroup entry)", m[i].mount_point);
            continue;
        }
        h = xrealloc(h, (count + 1) * sizeof(*h));
        h[count] = (struct cg_hierarchy){
            .ops = m[i].version == 2 ? &cg_v2_ops : &cg_v1_ops,
            .mount_point = xstrdup(m[i].mount_point),
            .controllers = xstrdup(hit->controllers),
            .own = own,
            .mount_fd = -1,
        };
        count++;
    }
    *out = h;
    *n = count;
    return 0;
}

int cg_detect(const char *mountinfo, const char *proc_cgroup, struct cg_hierarchy **out, size_t *n,
              enum cgroup_layout *layout, struct error **err) {
    struct cg_mount *m = NULL;
    struct cg_proc_entry *e = NULL;
    size_t nm = 0, ne = 0;
    int r = cg_parse_mountinfo(mountinfo, &m, &nm, err);
    if (r < 0)
        return r;
    r = cg_parse_proc_cgroup(proc_cgroup, &e, &ne, err);
    if (r >= 0)
        r = detect_from(m, nm, e, ne, out, n);
    cg_mounts_free(m, nm);
    cg_proc_entries_free(e, ne);
    if (r < 0)
        return r;
    if (*n == 0) {
        free(*out);
        *out = NULL;
        return error_new(err, ENOENT, "no cgroup hierarchy is mounted where this process's cgroup is visible");
    }
    *layout = cg_layout_of(*out, *n);
    return 0;
}

enum cgroup_layout cg_layout_of(const struct cg_hierarchy *h, size_t n) {
    bool v1 = false, v2 = false;
    for (size_t i = 0; i < n; i++) {
        if (h[i].ops->version == 2)
            v2 = true;
        else
            v1 = true;
    }
    return v1 && v2 ? CGROUP_LAYOUT_HYBRID : v2 ? CGROUP_LAYOUT_UNIFIED : CGROUP_LAYOUT_LEGACY;
}

static const char *const layout_names[] = {
    [CGROUP_LAYOUT_UNIFIED] = "unified",
    [CGROUP_LAYOUT_HYBRID] = "hybrid",
    [CGROUP_LAYOUT_LEGACY] = "legacy",
    [CGROUP_LAYOUT_NONE] = "none",
};

const char *cg_layout_name(enum cgroup_layout l) {
    return (size_t)l < ARRAY_SIZE(layout_names) ? layout_names[l] : "?";
}

int cg_layout_from_name(const char *s, enum cgroup_layout *out) {
    for (size_t i = 0; i < ARRAY_SIZE(layout_names); i++) {
        if (strcmp(s, layout_names[i]) == 0) {
            *out = (enum cgroup_layout)i;
            return 0;
        }
    }
    return -EINVAL;
}
