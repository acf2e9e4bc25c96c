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

/* The stage's answer: the process's pid (hull's child), then the stage is gone. */
static int take_process(struct exec_ctx *c, struct error **err) {
    _cleanup_free_ char *payload = NULL;
    int r = sync_expect(c->sync_parent, SYNC_CHILD_PID, &payload, NULL, err);
    reap(c->stage_pid);
    c->stage_pid = 0;
    if (r < 0)
        return r;
    int32_t p;
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

/* Until the exec: every copy of the child's end is closed then (the process's on exec). */
static int follow_process(struct exec_ctx *c, struct error **err) {
    bool ready = false;
    for (;;) {
        char peek;
        ssize_t n;
        while ((n = recv(c->sync_parent, &peek, 1, MSG_PEEK)) < 0 && errno == EINTR)
            ;
        if (n == 0 && !ready)
            return error_new(err, ECHILD, "the process died before its exec (killed from outside?)");
        if (n == 0)
            return 0;
        enum sync_type t;
        int fd = -1;
        int r = sync_recv(c->sync_parent, &t, NULL, NULL, &fd, err);
        if (r < 0)
            return r;
        if (t == SYNC_READY) {
            ready = true;
            continue;
        }
        if (t == SYNC_PTY) {
            if ((r = handle_pty(c, fd, err)) < 0)
                return r;
            continue;
        }
        if (t == SYNC_SECCOMP_FD) {
            if ((r = forward_seccomp_fd(c, fd, err)) < 0)
                return r;
            continue;
        }
        if (fd >= 0)
            close(fd);
        return error_new(err, EPROTO, "unexpected %s message from the exec'd process", sync_name(t));
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
        (r = sync_send(c->sync_parent, SYNC_CONTINUE, NULL, 0, -1, err)) >= 0 && (r = take_process(c, err)) >= 0)
        r = follow_process(c, err);
    if (r < 0) {
        kill_and_reap(&c->stage_pid);
        kill_and_reap(&c->pid);
    }
    return r;
}
