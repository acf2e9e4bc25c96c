/* Checks across fields, run by oci_spec_parse after every field parsed (runc's
 * libcontainer/configs/validate, as far as it needs no system state).  Only a config with a "linux"
 * section is checked against namespaces: the spec's zos and freebsd samples have none, and the
 * runtime requires "linux" separately. */
#include <sched.h>
#include <string.h>

#include "internal.h"

static bool has_ns(const struct oci_linux *l, int flag) {
    return l && ((l->ns_new_flags | l->ns_join_flags) & flag);
}

static int check_user_ns(const struct oci_linux *l, struct error **err) {
    bool mappings = l->n_uid_mappings || l->n_gid_mappings;
    if (mappings && !has_ns(l, CLONE_NEWUSER))
        return jerr(err, "linux", l->n_uid_mappings ? "uidMappings" : "gidMappings",
                    "set without a user namespace in linux.namespaces");
    if ((l->ns_new_flags & CLONE_NEWUSER) && (!l->n_uid_mappings || !l->n_gid_mappings))
        return jerr(err, "linux", "namespaces", "a new user namespace needs linux.uidMappings and linux.gidMappings");
    return 0;
}

static int check_uts(const struct oci_spec *spec, struct error **err) {
    if (has_ns(spec->linux, CLONE_NEWUTS))
        return 0;
    if (spec->hostname && *spec->hostname)
        return jerr(err, "hostname", NULL, "unable to set hostname without a private UTS namespace");
    if (spec->domainname && *spec->domainname)
        return jerr(err, "domainname", NULL, "unable to set domainname without a private UTS namespace");
    return 0;
}

static bool is_ipc_sysctl(const char *k) {
    static const char *const ipc[] = {"kernel.msgmax", "kernel.msgmnb",          "kernel.msgmni",
                                      "kernel.sem",    "kernel.shmall",          "kernel.shmmax",
                                      "kernel.shmmni", "kernel.shm_rmid_forced", NULL};
    return str_in(k, ipc) || str_has_prefix(k, "fs.mqueue.");
}

static int check_sysctl(const struct oci_linux *l, const char *key, struct error **err) {
    _cleanup_free_ char *k = xstrdup(key);
    for (char *c = k; *c; c++)
        if (*c == '/')
            *c = '.';
    if (is_ipc_sysctl(k)) {
        if (has_ns(l, CLONE_NEWIPC))
            return 0;
        return jerr(err, "linux.sysctl", key, "not allowed in the host's IPC namespace");
    }
    if (str_has_prefix(k, "net.")) {
        if (has_ns(l, CLONE_NEWNET))
            return 0;
        return jerr(err, "linux.sysctl", key, "not allowed in the host's network namespace");
    }
    if (has_ns(l, CLONE_NEWUTS)) {
        if (strcmp(k, "kernel.domainname") == 0)
            return 0;
        if (strcmp(k, "kernel.hostname") == 0)
            return jerr(err, "linux.sysctl", key, "conflicts with the \"hostname\" field; use that");
    }
    return jerr(err, "linux.sysctl", key, "not in a separate kernel namespace of the container");
}

static int check_sysctls(const struct oci_linux *l, struct error **err) {
    for (size_t i = 0; i < l->n_sysctl; i++) {
        int r = check_sysctl(l, l->sysctl[i].key, err);
        if (r < 0)
            return r;
    }
    return 0;
}

static int check_time_ns(const struct oci_linux *l, struct error **err) {
    if ((l->time_boottime.present || l->time_monotonic.present) && !has_ns(l, CLONE_NEWTIME))
        return jerr(err, "linux", "timeOffsets", "set without a time namespace in linux.namespaces");
    return 0;
}

/* config.md "idmap"/"ridmap" and runc's checkIDMapMount. */
static int check_idmapped_mount(const struct oci_spec *spec, size_t i, struct error **err) {
    const struct oci_mount *m = &spec->mounts[i];
    bool mappings = m->n_uid_mappings || m->n_gid_mappings;
    if (!m->idmap && !m->ridmap && !mappings)
        return 0;
    _cleanup_free_ char *p = jpath_idx("mounts", i);
    if (!m->bind)
        return jerr(err, p, NULL, "id-mapped mounts are only supported for bind mounts");
    if (!mappings && !has_ns(spec->linux, CLONE_NEWUSER))
        return jerr(err, p, "options", "%s needs uidMappings and gidMappings or a user namespace",
                    m->ridmap ? "ridmap" : "idmap");
    return 0;
}

int oci_spec_validate(struct oci_spec *spec, struct error **err) {
    int r;
    for (size_t i = 0; i < spec->n_mounts; i++)
        if ((r = check_idmapped_mount(spec, i, err)) < 0)
            return r;
    const struct oci_linux *l = spec->linux;
    if (!l)
        return 0;
    if ((r = check_uts(spec, err)) < 0 || (r = check_user_ns(l, err)) < 0 || (r = check_time_ns(l, err)) < 0 ||
        (r = check_sysctls(l, err)) < 0)
        return r;
    return 0;
}
