/* The container process's attributes, applied by the child after pivot_root, just before exec. */
#ifndef HULL_LIBCONTAINER_PROCESS_H
#define HULL_LIBCONTAINER_PROCESS_H

#include <stdbool.h>

#include "../base/error.h"
#include "../oci/spec.h"

/* Parent side, before anything is forked: check what can be checked on the host, e.g. an rlimit
 * above the caller's hard limit when hull lacks CAP_SYS_RESOURCE ("process.rlimits[1]: ..."). */
int process_precheck(const struct oci_process *p, struct error **err);

/* Inside the container: find args[0] (PATH from process.env, else the default PATH) and check that
 * it is an executable regular file.  *path_out is what execve gets. */
int process_find_executable(const struct oci_process *p, char **path_out, struct error **err);

/* process.apparmorProfile / selinuxLabel, parent side: an error when the LSM is not enabled on
 * this host, or the AppArmor profile is not loaded. */
int process_check_lsm(const struct oci_process *p, struct error **err);

/* Inside the container, before the user switch: the AppArmor profile / SELinux label the process
 * gets at its execve (written to the thread's attr exec through verified procfs). */
int process_apply_lsm(const struct oci_process *p, struct error **err);

/* linux.mountLabel: refused (SELinux is not enabled here, or mount labels not supported yet). */
int lsm_check_mount_label(const char *label, struct error **err);
bool lsm_apparmor_enabled(void);
bool lsm_selinux_enabled(void);

/* Inside the container, as root: rlimits, oomScoreAdj, personality, scheduler, ioPriority,
 * execCPUAffinity.initial, umask, cwd, the LSM exec label. */
int process_apply_attributes(const struct oci_process *p, const struct oci_linux *linux, struct error **err);

/* Inside the container: additionalGids, gid, uid, the five capability sets (bounding dropped
 * first, ambient raised last), noNewPrivileges.  The last privileged step before exec (seccomp
 * will come after it). */
int process_set_identity(const struct oci_process *p, struct error **err);

/* Inside the container, before the user switch: HOME from the container's /etc/passwd for
 * process.user.uid ("/" when it has none) unless process.env sets it, as runc does. */
int process_set_home(struct oci_process *p, struct error **err);

/* Right after entering a user namespace: become its root (uid/gid 0), dumpable again (changing
 * ids cleared it, which would make our /proc files the host root's), without the host's
 * supplementary groups. */
int process_become_root_in_userns(struct error **err);

/* CVE-2019-5736: while a process runs hull's code where a container's processes can see it (the
 * init waiting for `start`, an exec'd process before its exec), it must not be dumpable: then
 * /proc/<pid>/exe — the host's hull binary — opens only with CAP_SYS_PTRACE in the host's user
 * namespace, so a container process cannot grab the binary and write it once hull is gone.  No
 * copy of the binary, no re-exec: the execve of the container's process makes it dumpable again.
 * Called after the last write to the process's own /proc files (in a user namespace those need
 * it dumpable). */
int process_make_undumpable(struct error **err);

/* Make every fd >= 3 + preserve_fds close on exec (LISTEN_FDS ones are kept by preserve_fds). */
int process_close_fds(int preserve_fds, struct error **err);

/* linux.seccomp at the step `when` of the process's setup: loads f only at the one step its
 * settings call for (see process_seccomp.c); a listener goes to hull over sync_sock. */
struct seccomp_filter;
enum seccomp_when { SECCOMP_BEFORE_IDENTITY, SECCOMP_AFTER_IDENTITY, SECCOMP_BEFORE_EXEC };
int process_load_seccomp(const struct seccomp_filter *f, bool no_new_privileges, enum seccomp_when when,
                         int sync_sock, struct error **err);

/* Just before exec: execCPUAffinity.final. */
int process_apply_final_affinity(const struct oci_process *p, struct error **err);

#endif
