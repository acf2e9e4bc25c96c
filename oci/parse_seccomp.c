/* linux.seccomp: the profile as written, with every enum checked against the spec. The filter
 * itself is compiled elsewhere (libseccomp), from these strings. */
#include <string.h>

#include "internal.h"

static bool action_takes_errno(const char *action) {
    return strcmp(action, "SCMP_ACT_ERRNO") == 0 || strcmp(action, "SCMP_ACT_TRACE") == 0;
}

static int check_enum(const char *value, const char *const *names, const char *path, const char *key, const char *what,
                      struct error **err) {
    if (str_in(value, names))
        return 0;
    return jerr(err, path, key, "unknown %s \"%s\"", what, value);
}

static int check_enum_list(char **values, const char *const *names, const char *path, const char *key, const char *what,
                           struct error **err) {
    for (size_t i = 0; values && values[i]; i++) {
        _cleanup_free_ char *k = xasprintf("%s[%zu]", key, i);
        int r = check_enum(values[i], names, path, k, what, err);
        if (r < 0)
            return r;
    }
    return 0;
}

static int parse_arg(yajl_val v, const char *path, struct oci_seccomp_arg *a, struct error **err) {
    if (!YAJL_IS_OBJECT(v))
        return jerr(err, path, NULL, "expected an object");
    int r;
    if ((r = json_get_u32(v, path, "index", true, &a->index, NULL, err)) < 0 ||
        (r = json_get_u64(v, path, "value", true, &a->value, NULL, err)) < 0 ||
        (r = json_get_u64(v, path, "valueTwo", false, &a->value_two, NULL, err)) < 0 ||
        (r = json_get_string(v, path, "op", true, &a->op, err)) < 0)
        return r;
    if (a->index > 5)
        return jerr(err, path, "index", "must be from 0 to 5, got %u", a->index);
    return check_enum(a->op, oci_seccomp_operators, path, "op", "operator", err);
}

static int parse_args(yajl_val v, const char *path, struct oci_seccomp_syscall *s, struct error **err) {
    yajl_val a = NULL;
    int r = json_get_array(v, path, "args", false, &a, err);
    if (r < 0 || !a)
        return r;
    _cleanup_free_ char *ap = jpath_key(path, "args");
    s->args = xcalloc(a->u.array.len ? a->u.array.len : 1, sizeof(*s->args));
    for (size_t i = 0; i < a->u.array.len; i++) {
        _cleanup_free_ char *pi = jpath_idx(ap, i);
        s->n_args = i + 1;
        if ((r = parse_arg(a->u.array.values[i], pi, &s->args[i], err)) < 0)
            return r;
    }
    return 0;
}

static int parse_syscall(yajl_val v, const char *path, struct oci_seccomp_syscall *s, struct error **err) {
    if (!YAJL_IS_OBJECT(v))
        return jerr(err, path, NULL, "expected an object");
    int r;
    if ((r = json_get_strv(v, path, "names", &s->names, err)) < 0 ||
        (r = json_get_string(v, path, "action", true, &s->action, err)) < 0 ||
        (r = json_get_u32(v, path, "errnoRet", false, &s->errno_ret, &s->has_errno_ret, err)) < 0 ||
        (r = parse_args(v, path, s, err)) < 0)
        return r;
    if (!s->names)
        return jerr(err, path, "names", "required");
    if (!s->names[0])
        return jerr(err, path, "names", "must contain at least one entry");
    if ((r = check_enum(s->action, oci_seccomp_actions, path, "action", "action", err)) < 0)
        return r;
    if (s->has_errno_ret && !action_takes_errno(s->action))
        return jerr(err, path, "errnoRet", "not allowed with action %s", s->action);
    return 0;
}

static int parse_syscalls(yajl_val v, const char *path, struct oci_seccomp *sc, struct error **err) {
    yajl_val a = NULL;
    int r = json_get_array(v, path, "syscalls", false, &a, err);
    if (r < 0 || !a)
        return r;
    _cleanup_free_ char *ap = jpath_key(path, "syscalls");
    sc->syscalls = xcalloc(a->u.array.len ? a->u.array.len : 1, sizeof(*sc->syscalls));
    for (size_t i = 0; i < a->u.array.len; i++) {
        _cleanup_free_ char *pi = jpath_idx(ap, i);
        sc->n_syscalls = i + 1;
        if ((r = parse_syscall(a->u.array.values[i], pi, &sc->syscalls[i], err)) < 0)
            return r;
    }
    return 0;
}

static int parse_top(yajl_val v, const char *path, struct oci_seccomp *sc, struct error **err) {
    int r;
    if ((r = json_get_string(v, path, "defaultAction", true, &sc->default_action, err)) < 0 ||
        (r = json_get_u32(v, path, "defaultErrnoRet", false, &sc->default_errno_ret, &sc->has_default_errno_ret, err)) <
            0 ||
        (r = json_get_strv(v, path, "architectures", &sc->architectures, err)) < 0 ||
        (r = json_get_strv(v, path, "flags", &sc->flags, err)) < 0 ||
        (r = json_get_string(v, path, "listenerPath", false, &sc->listener_path, err)) < 0 ||
        (r = json_get_string(v, path, "listenerMetadata", false, &sc->listener_metadata, err)) < 0)
        return r;
    if ((r = check_enum(sc->default_action, oci_seccomp_actions, path, "defaultAction", "action", err)) < 0 ||
        (r = check_enum_list(sc->architectures, oci_seccomp_archs, path, "architectures", "architecture", err)) < 0 ||
        (r = check_enum_list(sc->flags, oci_seccomp_flags, path, "flags", "flag", err)) < 0)
        return r;
    if (sc->has_default_errno_ret && !action_takes_errno(sc->default_action))
        return jerr(err, path, "defaultErrnoRet", "not allowed with action %s", sc->default_action);
    if (sc->listener_metadata && !sc->listener_path)
        return jerr(err, path, "listenerMetadata", "not allowed without listenerPath");
    if (sc->listener_path && sc->listener_path[0] != '/')
        return jerr(err, path, "listenerPath", "must be an absolute path, got \"%s\"", sc->listener_path);
    return 0;
}

/* runc's rules for user notification: it needs a listener, and cannot be the default. */
static int check_notify(const struct oci_seccomp *sc, const char *path, struct error **err) {
    if (strcmp(sc->default_action, "SCMP_ACT_NOTIFY") == 0)
        return jerr(err, path, "defaultAction", "SCMP_ACT_NOTIFY cannot be the default action");
    for (size_t i = 0; i < sc->n_syscalls; i++)
        if (strcmp(sc->syscalls[i].action, "SCMP_ACT_NOTIFY") == 0 && !sc->listener_path) {
            _cleanup_free_ char *key = xasprintf("syscalls[%zu].action", i);
            return jerr(err, path, key, "SCMP_ACT_NOTIFY needs listenerPath");
        }
    return 0;
}

int oci_parse_seccomp(yajl_val v, const char *path, struct oci_seccomp **out, struct error **err) {
    struct oci_seccomp *sc = xcalloc(1, sizeof(*sc));
    int r;
    if ((r = parse_top(v, path, sc, err)) < 0 || (r = parse_syscalls(v, path, sc, err)) < 0 ||
        (r = check_notify(sc, path, err)) < 0) {
        oci_seccomp_free(sc);
        return r;
    }
    *out = sc;
    return 0;
}
