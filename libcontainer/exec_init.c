/* The two processes between `hull exec` and the exec'd program.
 *
 *   stage:   wait CONTINUE (it is in the container's cgroup now) -> setns(init's pidfd, every
 *            namespace that differs from hull's, user first: one call) -> clone the process as
 *            hull's child (CLONE_PARENT; a new pid namespace applies to children only) -> send its
 *            pid -> exit
 *   process: chroot to the init's root (in its mount namespace, so the cwd is never a host path)
 *            -> root in the user namespace -> terminal -> HOME, rlimits & co, LSM label, cwd ->
 *            find the executable -> [seccomp] -> user, capabilities, no_new_privs -> [seccomp] ->
 *            every fd but stdio and --preserve-fds close-on-exec -> READY -> [seccomp] -> exec
 *            (seccomp at one of the three points, as create's init does).  An error goes to hull
 *            as SYNC_ERROR; the exec closes the sync socket; an end of the socket before READY
 *            means the process died (hull reaps it and says how). */
#include <errno.h>
#include <grp.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "../security/seccomp.h"
#include "exec_internal.h"
#include "process.h"
#include "sync.h"
#include "terminal.h"

static _Noreturn void fail(const struct exec_ctx *c, struct error *e) {
    sync_send_error(c->sync_child, e);
    _exit(1);
}

static int enter_root(const struct exec_ctx *c, struct error **err) {
    if (fchdir(c->root_fd) < 0)
        return error_sys(err, errno, "fchdir to the container's root");
    if (chroot(".") < 0)
        return error_sys(err, errno, "chroot to the container's root");
    if (chdir("/") < 0)
        return error_sys(err, errno, "chdir /");
    return 0;
}

static int setup_terminal(const struct exec_ctx *c, struct error **err) {
    const struct oci_process *p = c->proc;
    if (!p->terminal)
        return 0;
    int master = -1, slave = -1;
    _cleanup_free_ char *slave_path = NULL;
    int r = terminal_open_pty_for(p, &master, &slave, &slave_path, err);
    if (r < 0)
        return error_wrap(err, r, "terminal");
    _cleanup_close_ int m = master, s = slave;
    if ((r = terminal_become_controlling(s, err)) < 0)
        return r;
    return sync_send(c->sync_child, SYNC_PTY, NULL, 0, m, err);
}

/* linux.seccomp at this step of the setup, if it is the step for it (process_seccomp.c). */
static int load_seccomp(const struct exec_ctx *c, enum seccomp_when when, struct error **err) {
    return process_load_seccomp(c->seccomp, c->proc->no_new_privileges, when, c->sync_child, err);
}

static _Noreturn void process_main(struct exec_ctx *c) {
    struct error *err = NULL;
    struct oci_process *p = c->proc;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (enter_root(c, &err) < 0)
        fail(c, err);
    close(c->root_fd);
    if ((c->ns_flags & CLONE_NEWUSER) && process_become_root_in_userns(&err) < 0)
        fail(c, err);
    _cleanup_free_ char *exe = NULL;
    if (setup_terminal(c, &err) < 0 || process_set_home(p, &err) < 0 ||
        process_apply_attributes(p, c->spec->linux, &err) < 0 || process_make_undumpable(&err) < 0 ||
        process_find_executable(p, &exe, &err) < 0 || load_seccomp(c, SECCOMP_BEFORE_IDENTITY, &err) < 0 || process_set_identity(p, &err) < 0 ||
        load_seccomp(c, SECCOMP_AFTER_IDENTITY, &err) < 0 || process_close_fds(c->opts->preserve_fds, &err) < 0 ||
        process_apply_final_affinity(p, &err) < 0 ||
        /* set up: from here on an end of the socket without an error means the exec happened
         * (the seccomp load that may follow allows no more than execve) */
        sync_send(c->sync_child, SYNC_READY, NULL, 0, -1, &err) < 0 || load_seccomp(c, SECCOMP_BEFORE_EXEC, &err) < 0)
        fail(c, err);
    prctl(PR_SET_PDEATHSIG, 0);
    execve(exe, p->args, p->env ? p->env : (char *[]){NULL});
    error_sys(&err, errno, "exec %s", exe);
    fail(c, err);
}

_Noreturn void exec_stage_main(struct exec_ctx *c) {
    struct error *err = NULL;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* the process it clones into the container inherits it (see process_make_undumpable) */
    if (!(c->ns_flags & CLONE_NEWUSER) && process_make_undumpable(&err) < 0)
        fail(c, err);
    close(c->sync_parent);
    if (sync_expect(c->sync_child, SYNC_CONTINUE, NULL, NULL, &err) < 0)
        _exit(1); /* hull gave up */
    if (c->ns_flags && setns(c->init_pidfd, c->ns_flags) < 0) {
        error_sys(&err, errno, "join the namespaces of the container's process (setns on its pidfd, 0x%x)",
                  c->ns_flags);
        fail(c, err);
    }
    close(c->init_pidfd);
    struct clone_args args = {.flags = CLONE_PARENT}; /* exit_signal: the stage's own (SIGCHLD) */
    pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
    if (pid < 0) {
        error_sys(&err, errno, "clone the process in the container");
        fail(c, err);
    }
    if (pid == 0)
        process_main(c);
    int32_t p32 = pid;
    if (sync_send(c->sync_child, SYNC_CHILD_PID, &p32, sizeof(p32), -1, &err) < 0)
        _exit(1);
    _exit(0);
}
