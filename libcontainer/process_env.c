/* The environment the container process gets beyond process.env: HOME, as runc sets it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "process.h"

static bool has_var(char *const *env, const char *name) {
    size_t n = strlen(name);
    for (; env && *env; env++)
        if (!strncmp(*env, name, n) && (*env)[n] == '=')
            return true;
    return false;
}

/* The home directory of uid in the container's /etc/passwd, or NULL. */
static char *passwd_home(uint32_t uid) {
    _cleanup_fclose_ FILE *f = fopen("/etc/passwd", "re");
    if (!f)
        return NULL;
    _cleanup_free_ char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        /* name:password:uid:gid:gecos:home:shell */
        char *field[7] = {0}, *p = line;
        int n = 0;
        for (char *t; n < 7 && (t = strsep(&p, ":\n")); n++)
            field[n] = t;
        uint64_t u;
        if (n >= 6 && parse_uint64(field[2], &u) == 0 && u == uid && *field[5])
            return xstrdup(field[5]);
    }
    return NULL;
}

int process_set_home(struct oci_process *p, struct error **err) {
    (void)err;
    if (has_var(p->env, "HOME"))
        return 0;
    _cleanup_free_ char *home = passwd_home(p->uid);
    strv_push(&p->env, xasprintf("HOME=%s", home ? home : "/"));
    return 0;
}
