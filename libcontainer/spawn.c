/* Starting the container process: one clone3() straight from hull, into the container's v2
 * cgroup where the host allows (CLONE_INTO_CGROUP), with a pidfd (CLONE_PIDFD).  Joining an
 * existing user or pid namespace must happen before the clone (setns on those only affects
 * later children), so in that case a short-lived stage process joins them and clones the
 * container process as hull's own child (CLONE_PARENT). */
#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "../namespaces/ns.h"
#include "launch.h"
#include "sync.h"

static pid_t clone3_raw(uint64_t flags, int *pidfd, int cgroup_fd) {
    struct clone_args args;
    memset(&args, 0, sizeof(args));
    args.flags = flags;
    args.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD;
    if (pidfd) {
        args.flags |= CLONE_PIDFD;
        args.pidfd = (uint64_t)(uintptr_t)pidfd;
    }
    if (cgroup_fd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = (uint64_t)cgroup_fd;
    }
    return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

static int pidfd_open_raw(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

/* The stage: join user and pid namespaces, clone the container process, report its pid, exit. */
static _Noreturn void stage_main(struct launch *l) {
    struct error *err = NULL;
    close(l->sync_parent);
    for (size_t i = 0; i < l->n_joins; i++) {
        if (l->join_flag[i] != CLONE_NEWUSER && l->join_flag[i] != CLONE_NEWPID)
            continue;
        if (ns_join(l->join_fd[i], l->join_flag[i], &err) < 0)
            goto fail;
    }
    pid_t pid = clone3_raw((uint64_t)l->clone_flags | CLONE_PARENT, NULL, cgroup_v2_fd(l->cg));
    if (pid < 0) {
        error_sys(&err, errno, "clone the container process");
        goto fail;
    }
    if (pid == 0)
        init_main(l);
    int32_t p = pid;
    if (sync_send(l->sync_child, SYNC_CHILD_PID, &p, sizeof(p), -1, &err) < 0)
        goto fail;
    _exit(0);
fail:
    sync_send_error(l->sync_child, err);
    _exit(1);
}

int spawn_container(struct launch *l, struct error **err) {
    int v2fd = cgroup_v2_fd(l->cg);
    if (!l->use_stage) {
        int pidfd = -1;
        pid_t pid = clone3_raw((uint64_t)l->clone_flags, &pidfd, v2fd);
        if (pid < 0)
            return error_sys(err, errno, "clone the container process (namespaces 0x%x)", l->clone_flags);
        if (pid == 0)
            init_main(l);
        l->pid = pid;
        l->pidfd = pidfd;
        return 0;
    }

    pid_t stage = clone3_raw(0, NULL, -1);
    if (stage < 0)
        return error_sys(err, errno, "fork the namespace-joining stage");
    if (stage == 0)
        stage_main(l);
    l->stage_pid = stage;
    _cleanup_free_ char *payload = NULL;
    int r = sync_expect(l->sync_parent, SYNC_CHILD_PID, &payload, NULL, err);
    int status;
    while (waitpid(stage, &status, 0) < 0 && errno == EINTR)
        ;
    l->stage_pid = 0;
    if (r < 0)
        return r;
    int32_t p;
    memcpy(&p, payload, sizeof(p));
    l->pid = p;
    l->pidfd = pidfd_open_raw(p);
    if (l->pidfd < 0)
        return error_sys(err, errno, "pidfd_open %d", (int)p);
    return 0;
}
