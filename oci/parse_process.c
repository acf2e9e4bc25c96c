/* The process object (config.json's "process", or a bare one for `exec --process`). */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "internal.h"

static int parse_user(yajl_val proc, const char *path, struct oci_process *p, struct error **err) {
    yajl_val u = NULL;
    int r = json_get_object(proc, path, "user", false, &u, err);
    if (r < 0 || !u)
        return r;
    _cleanup_free_ char *up = jpath_key(path, "user");
    if ((r = json_get_u32(u, up, "uid", false, &p->uid, NULL, err)) < 0 ||
        (r = json_get_u32(u, up, "gid", false, &p->gid, NULL, err)) < 0 ||
        (r = json_get_u32(u, up, "umask", false, &p->umask, &p->has_umask, err)) < 0 ||
        (r = json_get_string(u, up, "username", false, &p->username, err)) < 0)
        return r;
    yajl_val a = NULL;
    if ((r = json_get_array(u, up, "additionalGids", false, &a, err)) < 0 || !a)
        return r;
    _cleanup_free_ char *ap = jpath_key(up, "additionalGids");
    p->additional_gids = xcalloc(a->u.array.len ? a->u.array.len : 1, sizeof(uint32_t));
    p->n_additional_gids = a->u.array.len;
    for (size_t i = 0; i < a->u.array.len; i++) {
        _cleanup_free_ char *pi = jpath_idx(ap, i);
        int64_t gid;
        if ((r = json_value_int(a->u.array.values[i], pi, 0, UINT32_MAX, &gid, err)) < 0)
            return r;
        p->additional_gids[i] = (uint32_t)gid;
    }
    return 0;
}

static int parse_console_size(yajl_val proc, const char *path, struct oci_process *p, struct error **err) {
    yajl_val c = NULL;
    int r = json_get_object(proc, path, "consoleSize", false, &c, err);
    if (r < 0 || !c)
        return r;
    _cleanup_free_ char *cp = jpath_key(path, "consoleSize");
    int64_t h, w;
    /* The schema says uint64; a terminal's size is an unsigned short (struct winsize). */
    if ((r = json_get_int(c, cp, "height", true, 0, UINT16_MAX, &h, NULL, err)) < 0 ||
        (r = json_get_int(c, cp, "width", true, 0, UINT16_MAX, &w, NULL, err)) < 0)
        return r;
    p->has_console_size = true;
    p->console_height = (unsigned)h;
    p->console_width = (unsigned)w;
    return 0;
}

static int parse_env(yajl_val proc, const char *path, struct oci_process *p, struct error **err) {
    int r = json_get_strv(proc, path, "env", &p->env, err);
    if (r < 0)
        return r;
    for (size_t i = 0; p->env && p->env[i]; i++) {
        const char *eq = strchr(p->env[i], '=');
        if (!eq || eq == p->env[i]) {
            _cleanup_free_ char *ep = jpath_key(path, "env");
            _cleanup_free_ char *pi = jpath_idx(ep, i);
            return jerr(err, pi, NULL, "expected \"KEY=value\", got \"%s\"", p->env[i]);
        }
    }
    return 0;
}

static int parse_cap_set(yajl_val caps, const char *path, const char *key, uint64_t *mask, struct error **err) {
    _cleanup_strv_ char **names = NULL;
    int r = json_get_strv(caps, path, key, &names, err);
    if (r < 0)
        return r;
    for (size_t i = 0; names && names[i]; i++) {
        int cap = oci_capability_parse(names[i]);
        if (cap < 0) {
            _cleanup_free_ char *sp = jpath_key(path, key);
            _cleanup_free_ char *pi = jpath_idx(sp, i);
            return jerr(err, pi, NULL, "unknown capability \"%s\"", names[i]);
        }
        *mask |= 1ULL << cap;
    }
    return 0;
}

static int parse_capabilities(yajl_val proc, const char *path, struct oci_process *p, struct error **err) {
    yajl_val c = NULL;
    int r = json_get_object(proc, path, "capabilities", false, &c, err);
    if (r < 0 || !c)
        return r;
    _cleanup_free_ char *cp = jpath_key(path, "capabilities");
    struct oci_capabilities *caps = p->capabilities = xcalloc(1, sizeof(*caps));
    if ((r = parse_cap_set(c, cp, "bounding", &caps->bounding, err)) < 0 ||
        (r = parse_cap_set(c, cp, "effective", &caps->effective, err)) < 0 ||
        (r = parse_cap_set(c, cp, "inheritable", &caps->inheritable, err)) < 0 ||
        (r = parse_cap_set(c, cp, "permitted", &caps->permitted, err)) < 0 ||
        (r = parse_cap_set(c, cp, "ambient", &caps->ambient, err)) < 0)
        return r;
    return 0;
}

static int parse_rlimit(yajl_val v, const char *path, struct oci_rlimit *rl, struct error **err) {
    if (!YAJL_IS_OBJECT(v))
        return jerr(err, path, NULL, "expected an object");
    int r;
    if ((r = json_get_string(v, path, "type", true, &rl->name, err)) < 0 ||
        (r = json_get_u64(v, path, "soft", true, &rl->soft, NULL, err)) < 0 ||
        (r = json_get_u64(v, path, "hard", true, &rl->hard, NULL, err)) < 0)
        return r;
    rl->resource = oci_rlimit_parse(rl->name);
    if (rl->resource < 0)
        return jerr(err, path, "type", "unknown rlimit \"%s\"", rl->name);
    if (rl->soft > rl->hard)
        return jerr(err, path, "soft", "%llu is greater than hard %llu", (unsigned long long)rl->soft,
                    (unsigned long long)rl->hard);
    return 0;
}

static int parse_rlimits(yajl_val proc, const char *path, struct oci_process *p, struct error **err) {
    yajl_val a = NULL;
    int r = json_get_array(proc, path, "rlimits", false, &a, err);
    if (r < 0 || !a)
        return r;
    _cleanup_free_ char *ap = jpath_key(path, "rlimits");
    p->rlimits = xcalloc(a->u.array.len ? a->u.array.len : 1, sizeof(*p->rlimits));
    for (size_t i = 0; i < a->u.array.len; i++) {
        _cleanup_free_ char *pi = jpath_idx(ap, i);
        p->n_rlimits = i + 1;
        if ((r = parse_rlimit(a->u.array.values[i], pi, &p->rlimits[i], err)) < 0)
            return r;
        for (size_t j = 0; j < i; j++)
            if (p->rlimits[j].resource == p->rlimits[i].resource)
                return jerr(err, pi, "type", "duplicate rlimit \"%s\" (also in %s[%zu])", p->rlimits[i].name, ap, j);
    }
    return 0;
}

static int parse_io_priority(yajl_val proc, const char *path, struct oci_process *p, struct error **err) {
    static const char *const classes[] = {"IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE", NULL};
    yajl_val o = NULL;
    int r = json_get_object(proc, path, "ioPriority", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *op = jpath_key(path, "ioPriority");
    _cleanup_free_ char *cls = NULL;
    int64_t prio = 0;
    if ((r = json_get_string(o, op, "class", true, &cls, err)) < 0 ||
        (r = json_get_int(o, op, "priority", false, INT32_MIN, INT32_MAX, &prio, NULL, err)) < 0)
        return r;
    if (!str_in(cls, classes))
        return jerr(err, op, "class", "unknown class \"%s\"", cls);
    if (prio < 0 || prio > 7)
        return jerr(err, op, "priority", "must be from 0 to 7, got %lld", (long long)prio);
    p->ioprio_class = strcmp(cls, "IOPRIO_CLASS_RT") == 0   ? OCI_IOPRIO_RT
                      : strcmp(cls, "IOPRIO_CLASS_BE") == 0 ? OCI_IOPRIO_BE
                                                            : OCI_IOPRIO_IDLE;
    p->ioprio_priority = (int32_t)prio;
    return 0;
}

static int parse_sched_flags(yajl_val o, const char *path, struct oci_scheduler *s, struct error **err) {
    _cleanup_strv_ char **flags = NULL;
    int r = json_get_strv(o, path, "flags", &flags, err);
    for (size_t i = 0; r >= 0 && flags && flags[i]; i++) {
        uint64_t f = oci_sched_flag_parse(flags[i]);
        if (!f) {
            _cleanup_free_ char *fp = jpath_key(path, "flags");
            _cleanup_free_ char *pi = jpath_idx(fp, i);
            return jerr(err, pi, NULL, "unknown scheduler flag \"%s\"", flags[i]);
        }
        s->flags |= f;
    }
    return r;
}

static int check_scheduler(const struct oci_scheduler *s, const char *path, struct error **err) {
    if (s->nice < -20 || s->nice > 19)
        return jerr(err, path, "nice", "must be from -20 to 19, got %d", (int)s->nice);
    if (s->priority != 0 && s->policy != SCHED_FIFO && s->policy != SCHED_RR)
        return jerr(err, path, "priority", "can only be set with SCHED_FIFO or SCHED_RR");
    if (s->policy != SCHED_DEADLINE && (s->runtime || s->deadline || s->period))
        return jerr(err, path, NULL, "runtime, deadline and period can only be set with SCHED_DEADLINE");
    return 0;
}

static int parse_scheduler(yajl_val proc, const char *path, struct oci_process *p, struct error **err) {
    yajl_val o = NULL;
    int r = json_get_object(proc, path, "scheduler", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *sp = jpath_key(path, "scheduler");
    struct oci_scheduler *s = p->scheduler = xcalloc(1, sizeof(*s));
    _cleanup_free_ char *policy = NULL;
    int64_t nice = 0, prio = 0;
    if ((r = json_get_string(o, sp, "policy", true, &policy, err)) < 0 ||
        (r = json_get_int(o, sp, "nice", false, INT32_MIN, INT32_MAX, &nice, NULL, err)) < 0 ||
        (r = json_get_int(o, sp, "priority", false, INT32_MIN, INT32_MAX, &prio, NULL, err)) < 0 ||
        (r = json_get_u64(o, sp, "runtime", false, &s->runtime, NULL, err)) < 0 ||
        (r = json_get_u64(o, sp, "deadline", false, &s->deadline, NULL, err)) < 0 ||
        (r = json_get_u64(o, sp, "period", false, &s->period, NULL, err)) < 0 ||
        (r = parse_sched_flags(o, sp, s, err)) < 0)
        return r;
    s->policy = oci_sched_policy_parse(policy);
    if (s->policy < 0)
        return jerr(err, sp, "policy", "unknown or unsupported policy \"%s\"", policy);
    s->nice = (int32_t)nice;
    s->priority = (int32_t)prio;
    return check_scheduler(s, sp, err);
}

static int parse_cpu_list(yajl_val o, const char *path, const char *key, char **out, struct error **err) {
    int r = json_get_string(o, path, key, false, out, err);
    if (r < 0 || !*out)
        return r;
    if (strspn(*out, "0123456789, -") != strlen(*out))
        return jerr(err, path, key, "invalid CPU list \"%s\"", *out);
    return 0;
}

static int parse_exec_cpu_affinity(yajl_val proc, const char *path, struct oci_process *p, struct error **err) {
    yajl_val o = NULL;
    int r = json_get_object(proc, path, "execCPUAffinity", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *ap = jpath_key(path, "execCPUAffinity");
    if ((r = parse_cpu_list(o, ap, "initial", &p->exec_cpu_affinity_initial, err)) < 0 ||
        (r = parse_cpu_list(o, ap, "final", &p->exec_cpu_affinity_final, err)) < 0)
        return r;
    return 0;
}

static int parse_scalars(yajl_val v, const char *path, struct oci_process *p, struct error **err) {
    int64_t oom = 0;
    int r;
    if ((r = json_get_bool(v, path, "terminal", &p->terminal, NULL, err)) < 0 ||
        (r = json_get_strv(v, path, "args", &p->args, err)) < 0 ||
        (r = json_get_string(v, path, "commandLine", false, &p->command_line, err)) < 0 ||
        (r = json_get_string(v, path, "cwd", true, &p->cwd, err)) < 0 ||
        (r = json_get_bool(v, path, "noNewPrivileges", &p->no_new_privileges, NULL, err)) < 0 ||
        (r = json_get_int(v, path, "oomScoreAdj", false, -1000, 1000, &oom, &p->has_oom_score_adj, err)) < 0 ||
        (r = json_get_string(v, path, "apparmorProfile", false, &p->apparmor_profile, err)) < 0 ||
        (r = json_get_string(v, path, "selinuxLabel", false, &p->selinux_label, err)) < 0)
        return r;
    p->oom_score_adj = (int)oom;
    if (p->args && !p->args[0])
        return jerr(err, path, "args", "must contain at least one entry");
    if (p->cwd[0] != '/')
        return jerr(err, path, "cwd", "must be an absolute path, got \"%s\"", p->cwd);
    return 0;
}

int oci_parse_process(yajl_val v, const char *path, struct oci_process **out, struct error **err) {
    if (!YAJL_IS_OBJECT(v))
        return jerr(err, path, NULL, "expected an object");
    struct oci_process *p = xcalloc(1, sizeof(*p));
    int r;
    if ((r = parse_scalars(v, path, p, err)) < 0 || (r = parse_console_size(v, path, p, err)) < 0 ||
        (r = parse_user(v, path, p, err)) < 0 || (r = parse_env(v, path, p, err)) < 0 ||
        (r = parse_capabilities(v, path, p, err)) < 0 || (r = parse_rlimits(v, path, p, err)) < 0 ||
        (r = parse_io_priority(v, path, p, err)) < 0 || (r = parse_scheduler(v, path, p, err)) < 0 ||
        (r = parse_exec_cpu_affinity(v, path, p, err)) < 0) {
        oci_process_free(p);
        return r;
    }
    *out = p;
    return 0;
}

int oci_process_parse(const char *json, size_t len, struct oci_process **out, struct error **err) {
    yajl_val root;
    int r = json_parse_doc(json, len, &root, err);
    if (r < 0)
        return r;
    r = oci_parse_process(root, "process", out, err);
    yajl_tree_free(root);
    return r;
}
