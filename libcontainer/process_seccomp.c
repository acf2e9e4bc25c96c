/* linux.seccomp, loaded as late as the process allows (runc's order), for create's init and for
 * exec alike: with noNewPrivileges right before the exec; without it before the user switch drops
 * CAP_SYS_ADMIN, which loading then needs; with SCMP_ACT_NOTIFY before the process reports ready,
 * so that hull hands the listener to the seccomp agent (and waits for it) before anything runs
 * under the filter. */
#include <unistd.h>

#include "../security/seccomp.h"
#include "process.h"
#include "sync.h"

int process_load_seccomp(const struct seccomp_filter *f, bool no_new_privileges, enum seccomp_when when,
                         int sync_sock, struct error **err) {
    if (!f)
        return 0;
    enum seccomp_when at = !no_new_privileges ? SECCOMP_BEFORE_IDENTITY
                           : f->notify        ? SECCOMP_AFTER_IDENTITY
                                              : SECCOMP_BEFORE_EXEC;
    if (at != when)
        return 0;
    int fd = seccomp_filter_load(f, err);
    if (fd < 0 || !f->notify)
        return fd;
    int r = sync_send(sync_sock, SYNC_SECCOMP_FD, NULL, 0, fd, err);
    close(fd);
    return r < 0 ? r : sync_expect(sync_sock, SYNC_SECCOMP_DONE, NULL, NULL, err);
}
