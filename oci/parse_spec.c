/* config.json: the top level (ociVersion, root, hostname, hooks, annotations), then the sections. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "../base/log.h"
#include "internal.h"

/* A SemVer 2.0.0 numeric identifier: digits, no leading zero. */
static const char *semver_number(const char *s, long *out) {
    if (!isdigit((unsigned char)*s) || (s[0] == '0' && isdigit((unsigned char)s[1])))
        return NULL;
    *out = 0;
    for (; isdigit((unsigned char)*s); s++)
        *out = *out < 100000000 ? *out * 10 + (*s - '0') : *out;
    return s;
}

/* Dot-separated identifiers of [0-9A-Za-z-]. */
static bool semver_idents(const char *s) {
    if (!*s)
        return false;
    for (const char *p = s;; p++) {
        if (*p == '.' || *p == '\0') {
            if (p == s || p[-1] == '.')
                return false;
            if (*p == '\0')
                return true;
        } else if (!isalnum((unsigned char)*p) && *p != '-') {
            return false;
        }
    }
}

static bool semver_parse(const char *s, long *major) {
    long minor, patch;
    if (!(s = semver_number(s, major)) || *s++ != '.' || !(s = semver_number(s, &minor)) || *s++ != '.' ||
        !(s = semver_number(s, &patch)))
        return false;
    _cleanup_free_ char *rest = xstrdup(s);
    char *build = strchr(rest, '+');
    if (build) {
        *build++ = '\0';
        if (!semver_idents(build))
            return false;
    }
    return rest[0] == '\0' || (rest[0] == '-' && semver_idents(rest + 1));
}

static int parse_version(yajl_val root, struct oci_spec *spec, struct error **err) {
    int r = json_get_string(root, "", "ociVersion", true, &spec->oci_version, err);
    if (r < 0)
        return r;
    long major;
    if (!semver_parse(spec->oci_version, &major))
        return jerr(err, "ociVersion", NULL, "\"%s\" is not a SemVer 2.0.0 version", spec->oci_version);
    if (major > 1)
        return jerr(err, "ociVersion", NULL, "unsupported version \"%s\" (hull supports 1.x)", spec->oci_version);
    if (major < 1)
        log_warn("ociVersion: \"%s\" predates 1.0.0; parsing it as 1.x", spec->oci_version);
    return 0;
}

static int parse_root(yajl_val root, struct oci_spec *spec, struct error **err) {
    yajl_val o = NULL;
    int r;
    if ((r = json_get_object(root, "", "root", true, &o, err)) < 0 ||
        (r = json_get_string(o, "root", "path", true, &spec->root_path, err)) < 0 ||
        (r = json_get_bool(o, "root", "readonly", &spec->root_readonly, NULL, err)) < 0)
        return r;
    if (!*spec->root_path)
        return jerr(err, "root", "path", "must not be empty");
    return 0;
}

static int parse_hook(yajl_val v, const char *path, struct oci_hook *h, struct error **err) {
    if (!YAJL_IS_OBJECT(v))
        return jerr(err, path, NULL, "expected an object");
    int64_t timeout = 0;
    int r;
    if ((r = json_get_string(v, path, "path", true, &h->path, err)) < 0 ||
        (r = json_get_strv(v, path, "args", &h->args, err)) < 0 ||
        (r = json_get_strv(v, path, "env", &h->env, err)) < 0 ||
        (r = json_get_int(v, path, "timeout", false, INT64_MIN, INT64_MAX, &timeout, NULL, err)) < 0)
        return r;
    if (h->path[0] != '/')
        return jerr(err, path, "path", "must be an absolute path, got \"%s\"", h->path);
    if (json_find(v, "timeout") && (timeout < 1 || timeout > INT32_MAX))
        return jerr(err, path, "timeout", "must be a positive number of seconds, got %lld", (long long)timeout);
    h->timeout = (int)timeout;
    return 0;
}

int oci_parse_hooks(yajl_val root, struct oci_spec *spec, struct error **err) {
    yajl_val hooks = NULL;
    int r = json_get_object(root, "", "hooks", false, &hooks, err);
    if (r < 0 || !hooks)
        return r;
    for (int k = 0; k < OCI_HOOK__COUNT; k++) {
        yajl_val a = NULL;
        if ((r = json_get_array(hooks, "hooks", oci_hook_names[k], false, &a, err)) < 0)
            return r;
        if (!a)
            continue;
        _cleanup_free_ char *kp = jpath_key("hooks", oci_hook_names[k]);
        struct oci_hook_list *l = &spec->hooks[k];
        l->items = xcalloc(a->u.array.len ? a->u.array.len : 1, sizeof(*l->items));
        for (size_t i = 0; i < a->u.array.len; i++) {
            _cleanup_free_ char *pi = jpath_idx(kp, i);
            l->n = i + 1;
            if ((r = parse_hook(a->u.array.values[i], pi, &l->items[i], err)) < 0)
                return r;
        }
    }
    return 0;
}

static int parse_sections(yajl_val root, struct oci_spec *spec, struct error **err) {
    yajl_val process = NULL, linux = NULL;
    int r;
    if ((r = json_get_object(root, "", "process", false, &process, err)) < 0 ||
        (r = json_get_object(root, "", "linux", false, &linux, err)) < 0)
        return r;
    if (process && (r = oci_parse_process(process, "process", &spec->process, err)) < 0)
        return r;
    if (linux && (r = oci_parse_linux(linux, "linux", &spec->linux, err)) < 0)
        return r;
    return 0;
}

static int parse_tree(yajl_val root, struct oci_spec *spec, struct error **err) {
    int r;
    if ((r = parse_version(root, spec, err)) < 0 || (r = parse_root(root, spec, err)) < 0 ||
        (r = json_get_string(root, "", "hostname", false, &spec->hostname, err)) < 0 ||
        (r = json_get_string(root, "", "domainname", false, &spec->domainname, err)) < 0 ||
        (r = json_get_string_map(root, "", "annotations", &spec->annotations, &spec->n_annotations, err)) < 0 ||
        (r = oci_parse_mounts(root, spec, err)) < 0 || (r = oci_parse_hooks(root, spec, err)) < 0 ||
        (r = parse_sections(root, spec, err)) < 0 || (r = oci_check_other_platforms(root, err)) < 0)
        return r;
    return 0;
}

int oci_spec_parse(const char *json, size_t len, struct oci_spec **out, struct error **err) {
    yajl_val root;
    int r = json_parse_doc(json, len, &root, err);
    if (r < 0)
        return r;
    struct oci_spec *spec = xcalloc(1, sizeof(*spec));
    r = parse_tree(root, spec, err);
    yajl_tree_free(root);
    if (r >= 0)
        r = oci_spec_validate(spec, err);
    if (r < 0) {
        oci_spec_free(spec);
        return r;
    }
    *out = spec;
    return 0;
}

int oci_spec_load(const char *bundle_dir, struct oci_spec **out, struct error **err) {
    _cleanup_free_ char *path = xasprintf("%s/config.json", bundle_dir);
    _cleanup_free_ char *json = NULL;
    size_t len;
    int r = read_file(path, &json, &len, err);
    if (r < 0)
        return r;
    r = oci_spec_parse(json, len, out, err);
    if (r < 0)
        return error_wrap(err, r, "%s", path);
    return 0;
}
