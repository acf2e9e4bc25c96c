/* run: create + start, then (in the foreground) forward signals, relay the terminal, wait for the
 * container process, delete the container (unless --keep), and hand back its exit status. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "container.h"
#include "create.h"
#include "lifecycle.h"
#include "terminal.h"

struct relay {
    int master;  /* pty master, -1 without a terminal */
    bool master_open;
    bool stdin_open;
    struct termios saved;
    bool raw;
};

static int exit_code(int status) {
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

static void forward_signal(struct launch *l, struct relay *t, int sig) {
    if (sig == SIGCHLD)
        return;
    if (sig == SIGWINCH) {
        if (t->master >= 0)
            terminal_copy_size(0, t->master);
        return;
    }
    syscall(SYS_pidfd_send_signal, l->pidfd, sig, NULL, 0);
}

static void drain(int master) {
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
    while (terminal_copy_once(master, 1) > 0)
        ;
}

/* Wait for the container process, relaying signals and the terminal. */
static int wait_container(struct launch *l, int sigfd, struct relay *t, int *status) {
    for (;;) {
        struct pollfd p[4] = {
            {.fd = sigfd, .events = POLLIN},
            {.fd = l->pidfd, .events = POLLIN},
            {.fd = t->master_open ? t->master : -1, .events = POLLIN},
            {.fd = t->master >= 0 && t->stdin_open ? 0 : -1, .events = POLLIN},
        };
        if (poll(p, 4, -1) < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (p[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
                forward_signal(l, t, (int)si.ssi_signo);
        }
        if (p[2].revents & (POLLIN | POLLHUP))
            if (terminal_copy_once(t->master, 1) <= 0)
                t->master_open = false; /* hang-up: the exit comes through the pidfd */
        if (p[3].revents & (POLLIN | POLLHUP))
            if (terminal_copy_once(0, t->master) <= 0)
                t->stdin_open = false;
        if (p[1].revents & POLLIN) {
            pid_t w;
            while ((w = waitpid(l->pid, status, 0)) < 0 && errno == EINTR)
                ;
            if (t->master >= 0)
                drain(t->master);
            return w < 0 ? -errno : 0;
        }
    }
}

static int run_foreground(struct launch *l, const struct create_opts *o, int sigfd, int *exit_status, struct error **err) {
    struct relay t = {.master = l->pty_master, .master_open = l->pty_master >= 0, .stdin_open = true};
    if (t.master >= 0) {
        terminal_make_raw(0, &t.saved, &t.raw);
        terminal_copy_size(0, t.master);
    }
    /* let kill/state/delete from elsewhere in while we wait */
    statedir_free(l->sd);
    l->sd = NULL;
    int status = 0;
    int r = wait_container(l, sigfd, &t, &status);
    if (t.raw)
        terminal_restore(0, &t.saved);
    if (r < 0)
        return error_sys(err, -r, "wait for container %s", o->id);
    *exit_status = exit_code(status);
    l->pid = 0;
    if (o->keep)
        return 0;
    return container_delete(o->root, o->id, true, err);
}

int container_run(const struct create_opts *o, int *exit_status, struct error **err) {
    struct launch l;
    launch_init(&l, o, !o->detach);
    int r = launch_create(&l, err);
    if (r >= 0) {
        struct record rec;
        r = record_read(l.sd, &rec, err);
        if (r >= 0) {
            r = start_locked(l.sd, &rec, l.spec, err);
            record_clear(&rec);
        }
        if (r < 0)
            error_wrap(err, r, "start container %s", o->id);
    }
    *exit_status = 0;
    if (r >= 0 && !o->detach) {
        /* From here on every signal hull gets is the container's (SIGKILL aside). */
        sigset_t all, old;
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &old);
        _cleanup_close_ int sigfd = signalfd(-1, &all, SFD_CLOEXEC);
        r = run_foreground(&l, o, sigfd, exit_status, err);
        sigprocmask(SIG_SETMASK, &old, NULL);
    }
    launch_free(&l);
    return r;
}
