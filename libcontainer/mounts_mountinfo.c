/* /proc/self/mountinfo, parsed: for the cgroup hierarchies and the recursive remount fallback. */
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "mounts.h"

/* "36 25 0:32 /root /mnt/point rw,... shared:1 - cgroup cgroup rw,memory" */
static bool parse_line(char *line, struct mounts_mi_entry *e) {
    char *f[5], *save = NULL;
    char *sep = strstr(line, " - ");
    if (!sep)
        return false;
    *sep = '\0';
    char *tok = strtok_r(line, " ", &save);
    for (int i = 0; i < 5; i++, tok = strtok_r(NULL, " ", &save)) {
        if (!tok)
            return false;
        f[i] = tok;
    }
    save = NULL;
    e->fstype = strtok_r(sep + 3, " ", &save);
    char *source = strtok_r(NULL, " ", &save);
    e->super = strtok_r(NULL, " ", &save);
    if (!e->fstype || !source || !e->super)
        return false;
    e->root = f[3];
    e->mountpoint = f[4];
    str_unescape_octal(e->root);
    str_unescape_octal(e->mountpoint);
    return true;
}

int mounts_mountinfo_read(struct mounts_mountinfo *mi, struct error **err) {
    *mi = (struct mounts_mountinfo){0};
    int r = read_file("/proc/self/mountinfo", &mi->text, NULL, err);
    if (r < 0)
        return r;
    char *save = NULL;
    for (char *line = strtok_r(mi->text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        struct mounts_mi_entry e;
        if (!parse_line(line, &e))
            continue;
        mi->e = xrealloc(mi->e, (mi->n + 1) * sizeof(*mi->e));
        mi->e[mi->n++] = e;
    }
    return 0;
}

void mounts_mountinfo_free(struct mounts_mountinfo *mi) {
    free(mi->e);
    free(mi->text);
    *mi = (struct mounts_mountinfo){0};
}
