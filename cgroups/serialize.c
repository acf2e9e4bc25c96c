/* The cgroup object as a few text lines in the state directory, so that another process (delete)
 * removes exactly what create made:
 *
 *   hull-cgroup 1
 *   layout hybrid
 *   hierarchy 1 /sys/fs/cgroup/memory memory /process_api/abc /process_api/abc/c1
 *   created /process_api/abc/c1
 *   hierarchy 2 /sys/fs/cgroup/unified - / /c1
 *   created /c1
 *
 * (version, mount point, controllers, the creator's own cgroup — where v2 enables controllers
 * from —, the container's cgroup).
 *
 * Fields are separated by one space; space, tab, newline and backslash inside a field are
 * written as \ooo (as in mountinfo).  "-" stands for an empty controller list. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "cgroup.h"
#include "internal.h"

#define MAGIC "hull-cgroup 1"

static void append(char **buf, size_t *len, const char *s) {
    size_t n = strlen(s);
    *buf = xrealloc(*buf, *len + n + 1);
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

static char *escape(const char *s) {
    char *out = xmalloc(strlen(s) * 4 + 1), *o = out;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
            o += sprintf(o, "\\%03o", (unsigned char)*s);
        else
            *o++ = *s;
    }
    *o = '\0';
    return out;
}

static void append_hierarchy(char **buf, size_t *len, const struct cg_hierarchy *h) {
    _cleanup_free_ char *mp = escape(h->mount_point), *ctl = escape(h->controllers), *own = escape(h->own),
                        *path = escape(h->path);
    _cleanup_free_ char *line =
        xasprintf("hierarchy %d %s %s %s %s\n", h->ops->version, mp, *ctl ? ctl : "-", own, path);
    append(buf, len, line);
    for (char **c = h->created; c && *c; c++) {
        _cleanup_free_ char *e = escape(*c);
        _cleanup_free_ char *l = xasprintf("created %s\n", e);
        append(buf, len, l);
    }
}

char *cgroup_serialize(const struct cgroup *cg) {
    char *buf = NULL;
    size_t len = 0;
    _cleanup_free_ char *head = xasprintf(MAGIC "\nlayout %s\n", cg_layout_name(cg->layout));
    append(&buf, &len, head);
    for (size_t i = 0; i < cg->n; i++)
        append_hierarchy(&buf, &len, &cg->h[i]);
    return buf;
}

/* "hierarchy <version> <mount> <controllers> <own> <path>" */
static int load_hierarchy(struct cgroup *cg, char *args, struct error **err) {
    char *f[5];
    char *save = NULL;
    size_t nf = 0;
    for (char *t = strtok_r(args, " ", &save); t && nf < 5; t = strtok_r(NULL, " ", &save))
        f[nf++] = t;
    if (nf != 5 || strtok_r(NULL, " ", &save) || (strcmp(f[0], "1") != 0 && strcmp(f[0], "2") != 0))
        return -EINVAL;
    cg->h = xrealloc(cg->h, (cg->n + 1) * sizeof(*cg->h));
    struct cg_hierarchy *h = &cg->h[cg->n++];
    *h = (struct cg_hierarchy){
        .ops = f[0][0] == '2' ? &cg_v2_ops : &cg_v1_ops,
        .mount_point = xstrdup_unescape_octal(f[1]),
        .controllers = strcmp(f[2], "-") == 0 ? xstrdup("") : xstrdup_unescape_octal(f[2]),
        .own = xstrdup_unescape_octal(f[3]),
        .path = xstrdup_unescape_octal(f[4]),
        .mount_fd = -1,
    };
    if (h->mount_point[0] != '/' || h->own[0] != '/' || h->path[0] != '/' || cg_path_contains(h->path, h->own))
        return -EINVAL;
    return cg_open_mount(h, err);
}

/* "created <dir>": only the container's path or an ancestor of it, in the current hierarchy. */
static int load_created(struct cgroup *cg, const char *arg) {
    if (!cg->n || strchr(arg, ' '))
        return -EINVAL;
    struct cg_hierarchy *h = &cg->h[cg->n - 1];
    _cleanup_free_ char *dir = xstrdup_unescape_octal(arg);
    if (dir[0] != '/' || strcmp(dir, "/") == 0 || strstr(dir, "/..") || !cg_path_contains(dir, h->path))
        return -EINVAL;
    strv_push(&h->created, TAKE_PTR(dir));
    return 0;
}

static int load_line(struct cgroup *cg, char *line, bool *have_layout, struct error **err) {
    if (str_has_prefix(line, "layout ")) {
        *have_layout = true;
        return cg_layout_from_name(line + 7, &cg->layout);
    }
    if (str_has_prefix(line, "hierarchy "))
        return load_hierarchy(cg, line + 10, err);
    if (str_has_prefix(line, "created "))
        return load_created(cg, line + 8);
    return -EINVAL;
}

static int load_lines(struct cgroup *cg, char *text, struct error **err) {
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    if (!line || strcmp(line, MAGIC) != 0)
        return error_new(err, EINVAL, "cgroup state: not a \"" MAGIC "\" document");
    bool have_layout = false;
    size_t lineno = 1;
    while ((line = strtok_r(NULL, "\n", &save))) {
        lineno++;
        _cleanup_free_ char *copy = xstrdup(line);
        int r = load_line(cg, line, &have_layout, err);
        if (r < 0)
            return err && *err ? r : error_new(err, EINVAL, "cgroup state line %zu: invalid: \"%s\"", lineno, copy);
    }
    if (have_layout && cg->layout == CGROUP_LAYOUT_NONE && !cg->n)
        return 0;
    if (!have_layout || !cg->n || cg_layout_of(cg->h, cg->n) != cg->layout)
        return error_new(err, EINVAL, "cgroup state: missing or inconsistent layout/hierarchies");
    return 0;
}

int cgroup_load(const char *serialized, struct cgroup **out, struct error **err) {
    struct cgroup *cg = xcalloc(1, sizeof(*cg));
    cg->v2_fd = -1;
    _cleanup_free_ char *text = xstrdup(serialized);
    int r = load_lines(cg, text, err);
    if (r >= 0)
        r = cg_open_v2_dir(cg, true, err);
    if (r < 0) {
        cgroup_free(cg);
        return r;
    }
    *out = cg;
    return 0;
}
