/* exec, hull's side: start the stage in the container's cgroup, move it into the --cgroup
 * sub-cgroup where the host is hybrid, let it go, take the process's pid, hand on its pty, and
 * wait until it has exec'd (SYNC_READY, then EOF on the sync socket) or failed (SYNC_ERROR; an EOF
 * before SYNC_READY: it died on the way). */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "../security/seccomp.h"
#include "exec_internal.h"
#include "sync.h"
#include "terminal.h"

static void reap(pid_t pid) {
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

static void kill_and_reap(pid_t *pid) {
    if (*pid <= 0)
        return;
    kill(*pid, SIGKILL);
    reap(*pid);
    *pid = 0;
}

static int clone_stage(struct exec_ctx *c, struct error **err) {
    struct clone_args args = {.exit_signal = SIGCHLD};
    if (c->cgroup_fd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = (uint64_t)c->cgroup_fd;
    }
    pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
    if (pid < 0)
        return error_sys(err, errno, "clone the exec stage%s", c->cgroup_fd >= 0 ? " into the container's cgroup" : "");
    if (pid == 0)
        exec_stage_main(c);
    c->stage_pid = pid;
    return 0;
}

static int enter_cgroup(struct exec_ctx *c, struct error **err) {
    int r = cgroup_enter(c->cg, c->stage_pid, c->cgroup_fd >= 0, err);
    if (r < 0)
        return error_wrap(err, r, "put the exec'd process in the container's cgroup");
    if (c->sub_cgroup_procs) {
        char text[32];
        snprintf(text, sizeof(text), "%d", (int)c->stage_pid);
        if ((r = write_file_at(AT_FDCWD, c->sub_cgroup_procs, text, err)) < 0)
            return error_wrap(err, r, "--cgroup %s", c->opts->cgroup);
    }
    return 0;
}

/* The stage's answer: the process's pid (hull's child), then the stage is gone.  It may come after
 * the process's own first messages: the two send on the same socket. */
static int take_process(struct exec_ctx *c, const char *payload, size_t len, struct error **err) {
    reap(c->stage_pid);
    c->stage_pid = 0;
    int32_t p;
    if (!payload || len < sizeof(p))
        return error_new(err, EPROTO, "child-pid message without a pid");
    memcpy(&p, payload, sizeof(p));
    c->pid = p;
    c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
    if (c->pidfd < 0)
        return error_sys(err, errno, "pidfd_open %d", (int)c->pid);
    return 0;
}

static int handle_pty(struct exec_ctx *c, int fd, struct error **err) {
    if (fd < 0)
        return error_new(err, EPROTO, "pty message without a descriptor");
    if (!c->opts->console_socket) {
        c->pty_master = fd;
        return 0;
    }
    int r = terminal_send_to_console_socket(c->opts->console_socket, fd, err);
    close(fd);
    return r < 0 ? error_wrap(err, r, "--console-socket %s", c->opts->console_socket) : 0;
}

static int forward_seccomp_fd(struct exec_ctx *c, int fd, struct error **err) {
    _cleanup_close_ int listener = fd;
    const struct oci_seccomp *sc = c->spec->linux ? c->spec->linux->seccomp : NULL;
    if (listener < 0 || !sc || !c->seccomp)
        return error_new(err, EPROTO, "unexpected seccomp-fd message from the exec'd process");
    int r = seccomp_listener_send(sc->listener_path, sc->listener_metadata, listener, c->pid, c->state_json, err);
    if (r < 0)
        return r;
    return sync_send(c->sync_parent, SYNC_SECCOMP_DONE, NULL, 0, -1, err);
}

/* The process closed its end without saying READY: it is dying (its last copy of the socket goes
 * with its descriptors, before it becomes a zombie).  Reap it and say how it ended; its pid is
 * then forgotten, so that nothing kills a reused pid later. */
static int died_before_exec(struct exec_ctx *c, struct error **err) {
    int st = 0;
    pid_t r;
    while ((r = waitpid(c->pid, &st, 0)) < 0 && errno == EINTR)
        ;
    if (r != c->pid)
        return error_new(err, ECHILD, "the process died before its exec");
    c->pid = 0;
    if (WIFSIGNALED(st)) {
        const char *abbrev = sigabbrev_np(WTERMSIG(st));
        return error_new(err, ECHILD, "the process died before its exec: killed by signal %d (SIG%s)", WTERMSIG(st),
                         abbrev ? abbrev : "?");
    }
    return error_new(err, ECHILD, "the process died before its exec: exit status %d", WEXITSTATUS(st));
}

/* Until the exec: every copy of the child's end is closed then (the stage's when it exits, the
 * process's on exec).  The stage's child-pid and the process's messages come in any order; an
 * end before the process said READY means it died on the way. */
static int follow_process(struct exec_ctx *c, struct error **err) {
    bool ready = false;
    _cleanup_close_ int early_listener = -1; /* a seccomp listener that came before the pid */
    for (;;) {
        char peek;
        ssize_t n;
        while ((n = recv(c->sync_parent, &peek, 1, MSG_PEEK)) < 0 && errno == EINTR)
            ;
        if (n == 0 && c->pid <= 0)
            return error_new(err, ECHILD, "the exec stage died before it reported the process");
        if (n == 0 && !ready)
            return died_before_exec(c, err);
        if (n == 0)
            return 0;
        enum sync_type t;
        int fd = -1;
        _cleanup_free_ char *payload = NULL;
        size_t len = 0;
        int r = sync_recv(c->sync_parent, &t, &payload, &len, &fd, err);
        if (r < 0)
            return r;
        switch (t) {
        case SYNC_CHILD_PID:
            if ((r = take_process(c, payload, len, err)) < 0)
                return r;
            if (early_listener >= 0 && (r = forward_seccomp_fd(c, TAKE_FD(early_listener), err)) < 0)
                return r;
            break;
        case SYNC_READY:
            ready = true;
            break;
        case SYNC_PTY:
            if ((r = handle_pty(c, fd, err)) < 0)
                return r;
            break;
        case SYNC_SECCOMP_FD:
            if (c->pid <= 0) {
                early_listener = fd;
                break;
            }
            if ((r = forward_seccomp_fd(c, fd, err)) < 0)
                return r;
            break;
        default:
            if (fd >= 0)
                close(fd);
            return error_new(err, EPROTO, "unexpected %s message from the exec'd process", sync_name(t));
        }
    }
}

int exec_spawn(struct exec_ctx *c, struct error **err) {
    int sp[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
        return error_sys(err, errno, "socketpair");
    c->sync_parent = sp[0];
    c->sync_child = sp[1];
    int r = clone_stage(c, err);
    close(c->sync_child);
    c->sync_child = -1;
    if (r >= 0 && (r = enter_cgroup(c, err)) >= 0 &&
        (r = sync_send(c->sync_parent, SYNC_CONTINUE, NULL, 0, -1, err)) >= 0)
        r = follow_process(c, err);
    if (r < 0) {
        kill_and_reap(&c->stage_pid);
        kill_and_reap(&c->pid);
    }
    return r;
}
