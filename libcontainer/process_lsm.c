/* Linux security modules: process.apparmorProfile, process.selinuxLabel and linux.mountLabel.
 *
 * The profile or label is the one the process gets at its execve: written to the kernel's
 * "exec" attribute of the calling thread through a verified procfs handle (CVE-2025-52881: never
 * a path the container controls), as runc does.  Asked for on a host without that LSM, it is an
 * error naming the field: a container must not silently run unconfined. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/procfs.h"
#include "../base/util.h"
#include "process.h"

#define APPARMOR_FS "/sys/kernel/security/apparmor"

bool lsm_apparmor_enabled(void) {
    _cleanup_free_ char *s = NULL;
    return access(APPARMOR_FS, F_OK) == 0 &&
           read_file("/sys/module/apparmor/parameters/enabled", &s, NULL, NULL) == 0 && s[0] == 'Y';
}

bool lsm_selinux_enabled(void) { return access("/sys/fs/selinux/enforce", F_OK) == 0; }

/* "unconfined" is AppArmor's own name for no profile; any other must be loaded (listed as
 * "NAME (MODE)" in the profiles file). */
static int apparmor_check_loaded(const char *name, struct error **err) {
    if (strcmp(name, "unconfined") == 0)
        return 0;
    _cleanup_free_ char *list = NULL;
    if (read_file(APPARMOR_FS "/profiles", &list, NULL, NULL) < 0)
        return 0; /* not readable (no securityfs here): the kernel will say at the write */
    size_t n = strlen(name);
    for (const char *line = list; line && *line;) {
        if (strncmp(line, name, n) == 0 && strncmp(line + n, " (", 2) == 0)
            return 0;
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    return error_new(err, ENOENT, "process.apparmorProfile: \"%s\": no such AppArmor profile is loaded", name);
}

int process_check_lsm(const struct oci_process *p, struct error **err) {
    if (p->apparmor_profile && *p->apparmor_profile) {
        if (!lsm_apparmor_enabled())
            return error_new(err, EOPNOTSUPP, "process.apparmorProfile: \"%s\": AppArmor is not enabled on this host",
                             p->apparmor_profile);
        int r = apparmor_check_loaded(p->apparmor_profile, err);
        if (r < 0)
            return r;
    }
    if (p->selinux_label && *p->selinux_label && !lsm_selinux_enabled())
        return error_new(err, EOPNOTSUPP, "process.selinuxLabel: \"%s\": SELinux is not enabled on this host",
                         p->selinux_label);
    return 0;
}

int lsm_check_mount_label(const char *label, struct error **err) {
    if (!label || !*label)
        return 0;
    if (!lsm_selinux_enabled())
        return error_new(err, EOPNOTSUPP, "linux.mountLabel: \"%s\": SELinux is not enabled on this host", label);
    return error_new(err, EOPNOTSUPP, "linux.mountLabel: \"%s\": SELinux mount labels are not supported by this build",
                     label);
}

/* Linux >= 5.8 has a per-LSM directory (apparmor/); before it, and for SELinux, attr/exec
 * belongs to the major LSM. */
static int write_exec_attr(const char *lsm_dir, const char *field, const char *value, struct error **err) {
    int r;
    if (lsm_dir) {
        _cleanup_free_ char *rel = xasprintf("thread-self/attr/%s/exec", lsm_dir);
        struct error *e = NULL;
        r = procfs_write(rel, value, &e);
        if (r != -ENOENT) {
            if (r < 0 && err && !*err)
                *err = e, e = NULL;
            error_free(e);
            return r < 0 ? error_wrap(err, r, "%s", field) : 0;
        }
        error_free(e);
    }
    r = procfs_write("thread-self/attr/exec", value, err);
    return r < 0 ? error_wrap(err, r, "%s", field) : 0;
}

int process_apply_lsm(const struct oci_process *p, struct error **err) {
    int r;
    if (p->apparmor_profile && *p->apparmor_profile) {
        _cleanup_free_ char *cmd = xasprintf("exec %s", p->apparmor_profile);
        if ((r = write_exec_attr("apparmor", "process.apparmorProfile", cmd, err)) < 0)
            return r;
    }
    if (p->selinux_label && *p->selinux_label &&
        (r = write_exec_attr(NULL, "process.selinuxLabel", p->selinux_label, err)) < 0)
        return r;
    return 0;
}
