/* The "linux" object, except resources (parse_resources.c) and seccomp (parse_seccomp.c). */
#include <string.h>

#include "internal.h"

static int parse_namespace(yajl_val v, const char *path, struct oci_namespace *ns, struct error **err) {
    if (!YAJL_IS_OBJECT(v))
        return jerr(err, path, NULL, "expected an object");
    _cleanup_free_ char *type = NULL;
    int r;
    if ((r = json_get_string(v, path, "type", true, &type, err)) < 0 ||
        (r = json_get_string(v, path, "path", false, &ns->path, err)) < 0)
        return r;
    ns->type = oci_namespace_parse(type);
    if (!ns->type)
        return jerr(err, path, "type", "unknown namespace \"%s\"", type);
    if (ns->path && ns->path[0] != '/')
        return jerr(err, path, "path", "must be an absolute path, got \"%s\"", ns->path);
    return 0;
}

static int parse_namespaces(yajl_val lx, const char *path, struct oci_linux *l, struct error **err) {
    yajl_val a = NULL;
    int r = json_get_array(lx, path, "namespaces", false, &a, err);
    if (r < 0 || !a)
        return r;
    _cleanup_free_ char *ap = jpath_key(path, "namespaces");
    l->namespaces = xcalloc(a->u.array.len ? a->u.array.len : 1, sizeof(*l->namespaces));
    for (size_t i = 0; i < a->u.array.len; i++) {
        _cleanup_free_ char *pi = jpath_idx(ap, i);
        struct oci_namespace *ns = &l->namespaces[i];
        l->n_namespaces = i + 1;
        if ((r = parse_namespace(a->u.array.values[i], pi, ns, err)) < 0)
            return r;
        if ((l->ns_new_flags | l->ns_join_flags) & ns->type)
            return jerr(err, pi, "type", "duplicate namespace \"%s\"", oci_namespace_name(ns->type));
        if (ns->path)
            l->ns_join_flags |= ns->type;
        else
            l->ns_new_flags |= ns->type;
    }
    return 0;
}

static int parse_time_offset(yajl_val o, const char *path, const char *key, struct oci_time_offset *t,
                             struct error **err) {
    yajl_val v = NULL;
    int r = json_get_object(o, path, key, false, &v, err);
    if (r < 0 || !v)
        return r;
    _cleanup_free_ char *tp = jpath_key(path, key);
    int64_t secs = 0, nsecs = 0;
    if ((r = json_get_int(v, tp, "secs", false, INT64_MIN, INT64_MAX, &secs, NULL, err)) < 0 ||
        (r = json_get_int(v, tp, "nanosecs", false, 0, UINT32_MAX, &nsecs, NULL, err)) < 0)
        return r;
    if (nsecs >= 1000000000)
        return jerr(err, tp, "nanosecs", "must be less than 1000000000");
    t->present = true;
    t->secs = secs;
    t->nanosecs = (uint32_t)nsecs;
    return 0;
}

static int parse_time_offsets(yajl_val lx, const char *path, struct oci_linux *l, struct error **err) {
    yajl_val o = NULL;
    int r = json_get_object(lx, path, "timeOffsets", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *op = jpath_key(path, "timeOffsets");
    if ((r = parse_time_offset(o, op, "boottime", &l->time_boottime, err)) < 0 ||
        (r = parse_time_offset(o, op, "monotonic", &l->time_monotonic, err)) < 0)
        return r;
    return 0;
}

static int parse_device(yajl_val v, const char *path, struct oci_device *d, struct error **err) {
    if (!YAJL_IS_OBJECT(v))
        return jerr(err, path, NULL, "expected an object");
    _cleanup_free_ char *type = NULL;
    bool has_major = false, has_minor = false;
    int64_t mode = 0;
    int r;
    if ((r = json_get_string(v, path, "type", true, &type, err)) < 0 ||
        (r = json_get_string(v, path, "path", true, &d->path, err)) < 0 ||
        (r = json_get_int(v, path, "major", false, INT64_MIN, INT64_MAX, &d->major, &has_major, err)) < 0 ||
        (r = json_get_int(v, path, "minor", false, INT64_MIN, INT64_MAX, &d->minor, &has_minor, err)) < 0 ||
        (r = json_get_int(v, path, "fileMode", false, 0, 07777, &mode, &d->has_file_mode, err)) < 0 ||
        (r = json_get_u32(v, path, "uid", false, &d->uid, &d->has_uid, err)) < 0 ||
        (r = json_get_u32(v, path, "gid", false, &d->gid, &d->has_gid, err)) < 0)
        return r;
    d->file_mode = (uint32_t)mode;
    if (strlen(type) != 1 || !strchr("cbup", type[0]))
        return jerr(err, path, "type", "unknown device type \"%s\" (expected c, b, u or p)", type);
    d->type = type[0];
    if (d->path[0] != '/')
        return jerr(err, path, "path", "must be an absolute path, got \"%s\"", d->path);
    if (d->type != 'p' && (!has_major || !has_minor))
        return jerr(err, path, has_major ? "minor" : "major", "required for device type '%c'", d->type);
    return 0;
}

static int parse_devices(yajl_val lx, const char *path, struct oci_linux *l, struct error **err) {
    yajl_val a = NULL;
    int r = json_get_array(lx, path, "devices", false, &a, err);
    if (r < 0 || !a)
        return r;
    _cleanup_free_ char *ap = jpath_key(path, "devices");
    l->devices = xcalloc(a->u.array.len ? a->u.array.len : 1, sizeof(*l->devices));
    for (size_t i = 0; i < a->u.array.len; i++) {
        _cleanup_free_ char *pi = jpath_idx(ap, i);
        l->n_devices = i + 1;
        if ((r = parse_device(a->u.array.values[i], pi, &l->devices[i], err)) < 0)
            return r;
    }
    return 0;
}

static int check_abs_paths(char **paths, const char *path, const char *key, struct error **err) {
    for (size_t i = 0; paths && paths[i]; i++) {
        if (paths[i][0] == '/')
            continue;
        _cleanup_free_ char *kp = jpath_key(path, key);
        _cleanup_free_ char *pi = jpath_idx(kp, i);
        return jerr(err, pi, NULL, "must be an absolute path, got \"%s\"", paths[i]);
    }
    return 0;
}

static int parse_propagation(yajl_val lx, const char *path, struct oci_linux *l, struct error **err) {
    int r = json_get_string(lx, path, "rootfsPropagation", false, &l->rootfs_propagation, err);
    if (r < 0 || !l->rootfs_propagation)
        return r;
    l->rootfs_propagation_flags = oci_propagation_parse(l->rootfs_propagation);
    if (!l->rootfs_propagation_flags)
        return jerr(err, path, "rootfsPropagation", "unknown propagation \"%s\"", l->rootfs_propagation);
    return 0;
}

static int parse_personality(yajl_val lx, const char *path, struct oci_linux *l, struct error **err) {
    yajl_val o = NULL;
    int r = json_get_object(lx, path, "personality", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *pp = jpath_key(path, "personality");
    struct oci_personality *p = l->personality = xcalloc(1, sizeof(*p));
    if ((r = json_get_string(o, pp, "domain", true, &p->domain, err)) < 0 ||
        (r = json_get_strv(o, pp, "flags", &p->flags, err)) < 0)
        return r;
    long persona = oci_personality_parse(p->domain);
    if (persona < 0)
        return jerr(err, pp, "domain", "unknown domain \"%s\" (expected LINUX or LINUX32)", p->domain);
    p->persona = (unsigned long)persona;
    if (p->flags && p->flags[0])
        return jerr(err, pp, "flags[0]", "unsupported personality flag \"%s\"", p->flags[0]);
    return 0;
}

static int check_no_newline(const char *s, const char *path, const char *key, struct error **err) {
    if (s && strchr(s, '\n'))
        return jerr(err, path, key, "must not contain a newline");
    return 0;
}

static int parse_intel_rdt(yajl_val lx, const char *path, struct oci_linux *l, struct error **err) {
    yajl_val o = NULL;
    int r = json_get_object(lx, path, "intelRdt", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *ip = jpath_key(path, "intelRdt");
    struct oci_intel_rdt *rdt = l->intel_rdt = xcalloc(1, sizeof(*rdt));
    if ((r = json_get_string(o, ip, "closID", false, &rdt->clos_id, err)) < 0 ||
        (r = json_get_string(o, ip, "l3CacheSchema", false, &rdt->l3_cache_schema, err)) < 0 ||
        (r = json_get_string(o, ip, "memBwSchema", false, &rdt->mem_bw_schema, err)) < 0 ||
        (r = json_get_strv(o, ip, "schemata", &rdt->schemata, err)) < 0 ||
        (r = json_get_bool(o, ip, "enableMonitoring", &rdt->enable_monitoring, NULL, err)) < 0)
        return r;
    if (rdt->mem_bw_schema && !str_has_prefix(rdt->mem_bw_schema, "MB:"))
        return jerr(err, ip, "memBwSchema", "must start with \"MB:\"");
    if ((r = check_no_newline(rdt->mem_bw_schema, ip, "memBwSchema", err)) < 0)
        return r;
    for (size_t i = 0; rdt->schemata && rdt->schemata[i]; i++) {
        _cleanup_free_ char *key = xasprintf("schemata[%zu]", i);
        if ((r = check_no_newline(rdt->schemata[i], ip, key, err)) < 0)
            return r;
    }
    return 0;
}

static int parse_memory_policy(yajl_val lx, const char *path, struct oci_linux *l, struct error **err) {
    static const char *const modes[] = {
        "MPOL_DEFAULT",   "MPOL_BIND",           "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE",
        "MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL",      NULL};
    static const char *const flags[] = {"MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES", NULL};
    yajl_val o = NULL;
    int r = json_get_object(lx, path, "memoryPolicy", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *mp = jpath_key(path, "memoryPolicy");
    struct oci_memory_policy *m = l->memory_policy = xcalloc(1, sizeof(*m));
    if ((r = json_get_string(o, mp, "mode", true, &m->mode, err)) < 0 ||
        (r = json_get_string(o, mp, "nodes", false, &m->nodes, err)) < 0 ||
        (r = json_get_strv(o, mp, "flags", &m->flags, err)) < 0)
        return r;
    if (!str_in(m->mode, modes))
        return jerr(err, mp, "mode", "unknown mode \"%s\"", m->mode);
    for (size_t i = 0; m->flags && m->flags[i]; i++)
        if (!str_in(m->flags[i], flags)) {
            _cleanup_free_ char *key = xasprintf("flags[%zu]", i);
            return jerr(err, mp, key, "unknown flag \"%s\"", m->flags[i]);
        }
    return 0;
}

/* A network interface name as the kernel accepts it (dev_valid_name). */
static bool valid_ifname(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n >= 16 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    for (; *s; s++)
        if (*s == '/' || *s == ':' || *s == ' ' || *s == '\t' || *s == '\n')
            return false;
    return true;
}

static int parse_net_devices(yajl_val lx, const char *path, struct oci_linux *l, struct error **err) {
    yajl_val o = NULL;
    int r = json_get_object(lx, path, "netDevices", false, &o, err);
    if (r < 0 || !o)
        return r;
    _cleanup_free_ char *np = jpath_key(path, "netDevices");
    l->net_devices = xcalloc(o->u.object.len ? o->u.object.len : 1, sizeof(*l->net_devices));
    for (size_t i = 0; i < o->u.object.len; i++) {
        struct oci_net_device *d = &l->net_devices[i];
        l->n_net_devices = i + 1;
        d->host_name = xstrdup(o->u.object.keys[i]);
        _cleanup_free_ char *dp = jpath_key(np, d->host_name);
        yajl_val v = o->u.object.values[i];
        if (!YAJL_IS_OBJECT(v))
            return jerr(err, dp, NULL, "expected an object");
        if ((r = json_get_string(v, dp, "name", false, &d->name, err)) < 0)
            return r;
        if (!valid_ifname(d->host_name))
            return jerr(err, dp, NULL, "invalid network interface name");
        if (d->name && !valid_ifname(d->name))
            return jerr(err, dp, "name", "invalid network interface name \"%s\"", d->name);
    }
    return 0;
}

static int parse_simple(yajl_val lx, const char *path, struct oci_linux *l, struct error **err) {
    int r;
    if ((r = oci_parse_idmaps(lx, path, "uidMappings", &l->uid_mappings, &l->n_uid_mappings, err)) < 0 ||
        (r = oci_parse_idmaps(lx, path, "gidMappings", &l->gid_mappings, &l->n_gid_mappings, err)) < 0 ||
        (r = json_get_string(lx, path, "cgroupsPath", false, &l->cgroups_path, err)) < 0 ||
        (r = json_get_strv(lx, path, "maskedPaths", &l->masked_paths, err)) < 0 ||
        (r = json_get_strv(lx, path, "readonlyPaths", &l->readonly_paths, err)) < 0 ||
        (r = json_get_string_map(lx, path, "sysctl", &l->sysctl, &l->n_sysctl, err)) < 0 ||
        (r = json_get_string(lx, path, "mountLabel", false, &l->mount_label, err)) < 0)
        return r;
    if ((r = check_abs_paths(l->masked_paths, path, "maskedPaths", err)) < 0 ||
        (r = check_abs_paths(l->readonly_paths, path, "readonlyPaths", err)) < 0)
        return r;
    return 0;
}

static int parse_sections(yajl_val lx, const char *path, struct oci_linux *l, struct error **err) {
    yajl_val res = NULL, sec = NULL;
    int r;
    if ((r = json_get_object(lx, path, "resources", false, &res, err)) < 0 ||
        (r = json_get_object(lx, path, "seccomp", false, &sec, err)) < 0)
        return r;
    if (res) {
        _cleanup_free_ char *rp = jpath_key(path, "resources");
        if ((r = oci_parse_resources(res, rp, &l->resources, err)) < 0)
            return r;
    }
    if (sec) {
        _cleanup_free_ char *sp = jpath_key(path, "seccomp");
        if ((r = oci_parse_seccomp(sec, sp, &l->seccomp, err)) < 0)
            return r;
    }
    return 0;
}

int oci_parse_linux(yajl_val v, const char *path, struct oci_linux **out, struct error **err) {
    if (!YAJL_IS_OBJECT(v))
        return jerr(err, path, NULL, "expected an object");
    struct oci_linux *l = xcalloc(1, sizeof(*l));
    int r;
    if ((r = parse_namespaces(v, path, l, err)) < 0 || (r = parse_simple(v, path, l, err)) < 0 ||
        (r = parse_time_offsets(v, path, l, err)) < 0 || (r = parse_devices(v, path, l, err)) < 0 ||
        (r = parse_propagation(v, path, l, err)) < 0 || (r = parse_personality(v, path, l, err)) < 0 ||
        (r = parse_intel_rdt(v, path, l, err)) < 0 || (r = parse_memory_policy(v, path, l, err)) < 0 ||
        (r = parse_net_devices(v, path, l, err)) < 0 || (r = parse_sections(v, path, l, err)) < 0) {
        oci_linux_free(l);
        return r;
    }
    *out = l;
    return 0;
}
