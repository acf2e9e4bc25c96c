/* mounts[].options -> MS_* flags, propagation, MOUNT_ATTR_* (recursive options) and the data
 * string, as runc converts them (libcontainer/specconv).  Options that are none of these go to the
 * filesystem in `data`, comma-joined, in their order. */
#include <string.h>
#include <sys/mount.h>
#include <linux/mount.h>

#include "internal.h"

struct flag_opt {
    const char *name;
    bool clear;
    unsigned long flag;
};

static const struct flag_opt flag_opts[] = {
    {"acl", false, MS_POSIXACL},
    {"async", true, MS_SYNCHRONOUS},
    {"atime", true, MS_NOATIME},
    {"bind", false, MS_BIND},
    {"defaults", false, 0},
    {"dev", true, MS_NODEV},
    {"diratime", true, MS_NODIRATIME},
    {"dirsync", false, MS_DIRSYNC},
    {"exec", true, MS_NOEXEC},
    {"iversion", false, MS_I_VERSION},
    {"lazytime", false, MS_LAZYTIME},
    {"loud", true, MS_SILENT},
    {"mand", false, MS_MANDLOCK},
    {"noacl", true, MS_POSIXACL},
    {"noatime", false, MS_NOATIME},
    {"nodev", false, MS_NODEV},
    {"nodiratime", false, MS_NODIRATIME},
    {"noexec", false, MS_NOEXEC},
    {"noiversion", true, MS_I_VERSION},
    {"nolazytime", true, MS_LAZYTIME},
    {"nomand", true, MS_MANDLOCK},
    {"norelatime", true, MS_RELATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"nosuid", false, MS_NOSUID},
    {"nosymfollow", false, MS_NOSYMFOLLOW},
    {"rbind", false, MS_BIND | MS_REC},
    {"relatime", false, MS_RELATIME},
    {"remount", false, MS_REMOUNT},
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"silent", false, MS_SILENT},
    {"strictatime", false, MS_STRICTATIME},
    {"suid", true, MS_NOSUID},
    {"sync", false, MS_SYNCHRONOUS},
    {"symfollow", true, MS_NOSYMFOLLOW},
};

struct attr_opt {
    const char *name;
    bool clear;
    uint64_t attr;
};

static const struct attr_opt attr_opts[] = {
    {"rro", false, MOUNT_ATTR_RDONLY},
    {"rrw", true, MOUNT_ATTR_RDONLY},
    {"rnosuid", false, MOUNT_ATTR_NOSUID},
    {"rsuid", true, MOUNT_ATTR_NOSUID},
    {"rnodev", false, MOUNT_ATTR_NODEV},
    {"rdev", true, MOUNT_ATTR_NODEV},
    {"rnoexec", false, MOUNT_ATTR_NOEXEC},
    {"rexec", true, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", false, MOUNT_ATTR_NODIRATIME},
    {"rdiratime", true, MOUNT_ATTR_NODIRATIME},
    {"rrelatime", false, MOUNT_ATTR_RELATIME},
    {"rnorelatime", true, MOUNT_ATTR_RELATIME},
    {"rnoatime", false, MOUNT_ATTR_NOATIME},
    {"ratime", true, MOUNT_ATTR_NOATIME},
    {"rstrictatime", false, MOUNT_ATTR_STRICTATIME},
    {"rnostrictatime", true, MOUNT_ATTR_STRICTATIME},
    {"rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW},
    {"rsymfollow", true, MOUNT_ATTR_NOSYMFOLLOW},
};

const char *const oci_mount_option_names[] = {
    "acl",
    "async",
    "atime",
    "bind",
    "defaults",
    "dev",
    "diratime",
    "dirsync",
    "exec",
    "idmap",
    "iversion",
    "lazytime",
    "loud",
    "mand",
    "noacl",
    "noatime",
    "nodev",
    "nodiratime",
    "noexec",
    "noiversion",
    "nolazytime",
    "nomand",
    "norelatime",
    "nostrictatime",
    "nosuid",
    "nosymfollow",
    "private",
    "ratime",
    "rbind",
    "rdev",
    "rdiratime",
    "relatime",
    "remount",
    "rexec",
    "ridmap",
    "rnoatime",
    "rnodev",
    "rnodiratime",
    "rnoexec",
    "rnorelatime",
    "rnostrictatime",
    "rnosuid",
    "rnosymfollow",
    "ro",
    "rprivate",
    "rrelatime",
    "rro",
    "rrw",
    "rshared",
    "rslave",
    "rstrictatime",
    "rsuid",
    "rsymfollow",
    "runbindable",
    "rw",
    "shared",
    "silent",
    "slave",
    "strictatime",
    "suid",
    "symfollow",
    "sync",
    "tmpcopyup",
    "unbindable",
    NULL,
};

static bool apply_flag_opt(struct oci_mount *m, const char *o) {
    for (size_t i = 0; i < ARRAY_SIZE(flag_opts); i++) {
        const struct flag_opt *f = &flag_opts[i];
        if (strcmp(o, f->name) != 0)
            continue;
        if (f->clear) {
            m->flags &= ~f->flag;
            m->clear_flags |= f->flag;
        } else {
            m->flags |= f->flag;
            m->clear_flags &= ~f->flag;
        }
        return true;
    }
    return false;
}

static bool apply_attr_opt(struct oci_mount *m, const char *o) {
    for (size_t i = 0; i < ARRAY_SIZE(attr_opts); i++) {
        const struct attr_opt *a = &attr_opts[i];
        if (strcmp(o, a->name) != 0)
            continue;
        if (a->clear) {
            m->attr_clr |= a->attr;
        } else {
            m->attr_set |= a->attr;
            /* mount_setattr(2): an access-time setting needs MOUNT_ATTR__ATIME in attr_clr too. */
            if ((a->attr & MOUNT_ATTR__ATIME) == a->attr)
                m->attr_clr |= MOUNT_ATTR__ATIME;
        }
        return true;
    }
    return false;
}

static bool apply_extension_opt(struct oci_mount *m, const char *o) {
    if (strcmp(o, "tmpcopyup") == 0)
        m->tmpcopyup = true;
    else if (strcmp(o, "idmap") == 0)
        m->idmap = true;
    else if (strcmp(o, "ridmap") == 0)
        m->ridmap = true;
    else
        return false;
    return true;
}

static void append_data(struct oci_mount *m, const char *o) {
    if (!m->data) {
        m->data = xstrdup(o);
        return;
    }
    char *d = xasprintf("%s,%s", m->data, o);
    free(m->data);
    m->data = d;
}

void oci_mount_convert_options(struct oci_mount *m) {
    for (char **o = m->options; o && *o; o++) {
        unsigned long prop = oci_propagation_parse(*o);
        if (prop)
            m->propagation = prop;
        else if (!apply_flag_opt(m, *o) && !apply_attr_opt(m, *o) && !apply_extension_opt(m, *o))
            append_data(m, *o);
    }
    if (m->type && strcmp(m->type, "bind") == 0)
        m->flags |= MS_BIND;
    m->bind = (m->flags & MS_BIND) != 0;
    m->recursive_bind = m->bind && (m->flags & MS_REC);
}
