/* mounts[] and the LinuxIDMapping arrays (mounts[].uidMappings, linux.uidMappings, ...). */
#include <string.h>

#include "../base/log.h"
#include "internal.h"

static int parse_idmap(yajl_val v, const char *path, struct oci_idmap *m, struct error **err) {
    if (!YAJL_IS_OBJECT(v))
        return jerr(err, path, NULL, "expected an object");
    int r;
    if ((r = json_get_u32(v, path, "containerID", true, &m->container_id, NULL, err)) < 0 ||
        (r = json_get_u32(v, path, "hostID", true, &m->host_id, NULL, err)) < 0 ||
        (r = json_get_u32(v, path, "size", true, &m->size, NULL, err)) < 0)
        return r;
    return 0;
}

int oci_parse_idmaps(yajl_val obj, const char *path, const char *key, struct oci_idmap **out, size_t *n,
                     struct error **err) {
    yajl_val a = NULL;
    int r = json_get_array(obj, path, key, false, &a, err);
    if (r < 0 || !a)
        return r;
    _cleanup_free_ char *p = jpath_key(path, key);
    size_t len = a->u.array.len;
    _cleanup_free_ struct oci_idmap *maps = xcalloc(len ? len : 1, sizeof(*maps));
    for (size_t i = 0; i < len; i++) {
        _cleanup_free_ char *pi = jpath_idx(p, i);
        if ((r = parse_idmap(a->u.array.values[i], pi, &maps[i], err)) < 0)
            return r;
    }
    free(*out);
    *out = TAKE_PTR(maps);
    *n = len;
    return 0;
}

/* Does the path climb above "/" through ".." components ("/a/../../etc")? */
static bool climbs_out(const char *p) {
    int depth = 0;
    while (*p) {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0)
                return true;
        } else if (n && !(n == 1 && p[0] == '.')) {
            depth++;
        }
        p += n;
    }
    return false;
}

static int parse_destination(yajl_val v, const char *path, struct oci_mount *m, struct error **err) {
    int r = json_get_string(v, path, "destination", true, &m->destination, err);
    if (r < 0)
        return r;
    if (!*m->destination)
        return jerr(err, path, "destination", "must not be empty");
    if (m->destination[0] != '/') {
        /* config.md: relative destinations are deprecated and relative to "/". */
        log_warn("%s.destination: relative path \"%s\" is deprecated, using \"/%s\"", path, m->destination,
                 m->destination);
        char *abs = xasprintf("/%s", m->destination);
        free(m->destination);
        m->destination = abs;
    }
    /* Symlinks are resolved inside the rootfs when mounting; a destination that says outright
     * that it wants out of the container is refused rather than silently clamped to "/". */
    if (climbs_out(m->destination))
        return jerr(err, path, "destination", "\"%s\" climbs out of the container's root filesystem", m->destination);
    return 0;
}

static int parse_mount(yajl_val v, const char *path, struct oci_mount *m, struct error **err) {
    if (!YAJL_IS_OBJECT(v))
        return jerr(err, path, NULL, "expected an object");
    int r;
    if ((r = parse_destination(v, path, m, err)) < 0 ||
        (r = json_get_string(v, path, "source", false, &m->source, err)) < 0 ||
        (r = json_get_string(v, path, "type", false, &m->type, err)) < 0 ||
        (r = json_get_strv(v, path, "options", &m->options, err)) < 0 ||
        (r = oci_parse_idmaps(v, path, "uidMappings", &m->uid_mappings, &m->n_uid_mappings, err)) < 0 ||
        (r = oci_parse_idmaps(v, path, "gidMappings", &m->gid_mappings, &m->n_gid_mappings, err)) < 0)
        return r;
    bool has_uid = json_find(v, "uidMappings") != NULL, has_gid = json_find(v, "gidMappings") != NULL;
    if (has_uid != has_gid)
        return jerr(err, path, has_uid ? "uidMappings" : "gidMappings", "must be specified along with %s",
                    has_uid ? "gidMappings" : "uidMappings");
    oci_mount_convert_options(m);
    return 0;
}

int oci_parse_mounts(yajl_val root, struct oci_spec *spec, struct error **err) {
    yajl_val a = NULL;
    int r = json_get_array(root, "", "mounts", false, &a, err);
    if (r < 0 || !a)
        return r;
    spec->mounts = xcalloc(a->u.array.len ? a->u.array.len : 1, sizeof(*spec->mounts));
    for (size_t i = 0; i < a->u.array.len; i++) {
        _cleanup_free_ char *pi = jpath_idx("mounts", i);
        spec->n_mounts = i + 1; /* so that oci_spec_free frees a half-parsed entry */
        if ((r = parse_mount(a->u.array.values[i], pi, &spec->mounts[i], err)) < 0)
            return r;
    }
    return 0;
}
