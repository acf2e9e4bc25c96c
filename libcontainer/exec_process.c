/* The process `exec` runs: a --process document as it is, or the container's process.* with the
 * command line's flags applied, as runc does (args, cwd, env, terminal, user, additionalGids,
 * capabilities, noNewPrivileges, apparmorProfile, selinuxLabel). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "../oci/oci.h"
#include "exec_internal.h"
#include "process.h"

/* With --process every attribute comes from the document: a flag that would change one is refused
 * rather than ignored.  --tty only repeats what the document's "terminal" says (conmon passes both):
 * it is checked against the document once it is read. */
static int refuse_with_process_file(const struct exec_opts *o, struct error **err) {
    const char *flag = o->args && o->args[0] ? "a COMMAND"
                       : o->cwd              ? "--cwd"
                       : o->env              ? "--env"
                       : o->has_user         ? "--user"
                       : o->n_additional_gids ? "--additional-gids"
                       : o->caps             ? "--cap"
                       : o->no_new_privs     ? "--no-new-privs"
                       : o->apparmor         ? "--apparmor"
                       : o->process_label    ? "--process-label"
                                             : NULL;
    if (flag)
        return error_new(err, EINVAL, "--process %s: %s cannot be combined with it (the document sets the process)",
                         o->process_file, flag);
    return 0;
}

static int load_process_file(const char *path, struct oci_process **out, struct error **err) {
    _cleanup_free_ char *json = NULL;
    size_t len = 0;
    int r = read_file(path, &json, &len, err);
    if (r < 0)
        return error_wrap(err, r, "--process");
    r = oci_process_parse(json, len, out, err);
    return r < 0 ? error_wrap(err, r, "--process %s", path) : 0;
}

/* KEY=VALUE: replaces an entry of the same KEY, else is appended. */
static int merge_env(char ***env, const char *kv, struct error **err) {
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv)
        return error_new(err, EINVAL, "--env \"%s\": expected KEY=VALUE", kv);
    size_t klen = (size_t)(eq - kv) + 1;
    for (char **e = *env; e && *e; e++)
        if (!strncmp(*e, kv, klen)) {
            free(*e);
            *e = xstrdup(kv);
            return 0;
        }
    strv_push(env, xstrdup(kv));
    return 0;
}

static int add_caps(struct oci_process *p, const struct exec_opts *o, struct error **err) {
    if (!o->caps)
        return 0;
    if (!p->capabilities)
        return 0; /* the config keeps hull's own capabilities: every one is there already */
    struct oci_capabilities *c = p->capabilities;
    for (char **n = o->caps; *n; n++) {
        _cleanup_free_ char *name = str_has_prefix(*n, "CAP_") ? xstrdup(*n) : xasprintf("CAP_%s", *n);
        int cap = oci_capability_parse(name);
        if (cap < 0 || cap > 63)
            return error_new(err, EINVAL, "--cap \"%s\": unknown capability", *n);
        uint64_t bit = 1ULL << cap;
        c->bounding |= bit;
        c->effective |= bit;
        c->permitted |= bit;
        /* an ambient capability needs an inheritable one: only when the config has that set */
        if (c->inheritable) {
            c->inheritable |= bit;
            c->ambient |= bit;
        }
    }
    return 0;
}

static int apply_flags(struct oci_process *p, const struct exec_opts *o, struct error **err) {
    if (!o->args || !o->args[0] || !o->args[0][0])
        return error_new(err, EINVAL, "exec: a COMMAND (or --process FILE) is required");
    strv_free(p->args);
    p->args = strv_copy(o->args);
    if (o->cwd) {
        if (o->cwd[0] != '/')
            return error_new(err, EINVAL, "--cwd: must be an absolute path, got \"%s\"", o->cwd);
        free(p->cwd);
        p->cwd = xstrdup(o->cwd);
    }
    for (char **e = o->env; e && *e; e++) {
        int r = merge_env(&p->env, *e, err);
        if (r < 0)
            return r;
    }
    p->terminal = o->tty;
    if (o->has_user) {
        p->uid = o->uid;
        if (o->has_gid)
            p->gid = o->gid;
    }
    if (o->n_additional_gids) {
        p->additional_gids = xrealloc(p->additional_gids, (p->n_additional_gids + o->n_additional_gids) * sizeof(uint32_t));
        memcpy(p->additional_gids + p->n_additional_gids, o->additional_gids, o->n_additional_gids * sizeof(uint32_t));
        p->n_additional_gids += o->n_additional_gids;
    }
    if (o->no_new_privs)
        p->no_new_privileges = true;
    if (o->apparmor) {
        free(p->apparmor_profile);
        p->apparmor_profile = xstrdup(o->apparmor);
    }
    if (o->process_label) {
        free(p->selinux_label);
        p->selinux_label = xstrdup(o->process_label);
    }
    return add_caps(p, o, err);
}

static int check_terminal(const struct oci_process *p, const struct exec_opts *o, struct error **err) {
    if (p->terminal && o->detach && !o->console_socket)
        return error_new(err, EINVAL, "exec: a detached process with a terminal needs --console-socket");
    if (o->console_socket && !p->terminal)
        return error_new(err, EINVAL, "--console-socket: the process has no terminal (use --tty)");
    return 0;
}

int exec_build_process(struct exec_ctx *c, struct error **err) {
    const struct exec_opts *o = c->opts;
    struct oci_process *p = NULL;
    int r;
    if (o->process_file) {
        if ((r = refuse_with_process_file(o, err)) < 0 || (r = load_process_file(o->process_file, &p, err)) < 0)
            return r;
        if (!p->args || !p->args[0] || !p->args[0][0]) {
            oci_process_free(p);
            return error_new(err, EINVAL, "--process %s: args: must name the program to run", o->process_file);
        }
        if (o->tty && !p->terminal) {
            oci_process_free(p);
            return error_new(err, EINVAL, "--process %s: --tty, but the document says \"terminal\": false",
                             o->process_file);
        }
    } else {
        p = TAKE_PTR(c->spec->process);
        if (!p) {
            p = xcalloc(1, sizeof(*p));
            p->cwd = xstrdup("/");
        }
        if ((r = apply_flags(p, o, err)) < 0) {
            oci_process_free(p);
            return r;
        }
    }
    c->proc = p;
    if ((r = check_terminal(p, o, err)) < 0)
        return r;
    return process_precheck(p, err);
}
