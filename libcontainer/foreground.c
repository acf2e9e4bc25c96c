/* The foreground relay of `run` and `exec`: signals, terminal, exit status. */
#include "foreground.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "terminal.h"

struct relay {
    pid_t pid;
    int pidfd;
    int master; /* pty master, -1 without a terminal */
    bool master_open;
    bool stdin_open;
};

static int exit_code(int status) {
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

static void forward_signal(const struct relay *t, int sig) {
    if (sig == SIGCHLD)
        return;
    if (sig == SIGWINCH) {
        if (t->master >= 0)
            terminal_copy_size(0, t->master);
        return;
    }
    syscall(SYS_pidfd_send_signal, t->pidfd, sig, NULL, 0);
}

static void drain(int master) {
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
    while (terminal_copy_once(master, 1) > 0)
        ;
}

/* Wait for the process, relaying signals and the terminal. */
static int relay_until_exit(int sigfd, struct relay *t, int *status) {
    for (;;) {
        struct pollfd p[4] = {
            {.fd = sigfd, .events = POLLIN},
            {.fd = t->pidfd, .events = POLLIN},
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
                forward_signal(t, (int)si.ssi_signo);
        }
        if (p[2].revents & (POLLIN | POLLHUP))
            if (terminal_copy_once(t->master, 1) <= 0)
                t->master_open = false; /* hang-up: the exit comes through the pidfd */
        if (p[3].revents & (POLLIN | POLLHUP))
            if (terminal_copy_once(0, t->master) <= 0)
                t->stdin_open = false;
        if (p[1].revents & POLLIN) {
            pid_t w;
            while ((w = waitpid(t->pid, status, 0)) < 0 && errno == EINTR)
                ;
            if (t->master >= 0)
                drain(t->master);
            return w < 0 ? -errno : 0;
        }
    }
}

int foreground_begin(struct foreground *f, struct error **err) {
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &f->saved_mask);
    f->sigfd = signalfd(-1, &all, SFD_CLOEXEC);
    if (f->sigfd < 0) {
        int e = errno;
        sigprocmask(SIG_SETMASK, &f->saved_mask, NULL);
        return error_sys(err, e, "signalfd");
    }
    return 0;
}

int foreground_wait(struct foreground *f, pid_t pid, int pidfd, int pty_master, int *exit_status, struct error **err) {
    struct relay t = {.pid = pid, .pidfd = pidfd, .master = pty_master, .master_open = pty_master >= 0, .stdin_open = true};
    struct termios saved;
    bool raw = false;
    if (t.master >= 0) {
        terminal_make_raw(0, &saved, &raw);
        terminal_copy_size(0, t.master);
    }
    int status = 0;
    int r = relay_until_exit(f->sigfd, &t, &status);
    if (raw)
        terminal_restore(0, &saved);
    if (r < 0)
        return error_sys(err, -r, "wait for process %d", (int)pid);
    *exit_status = exit_code(status);
    return 0;
}

void foreground_end(struct foreground *f) {
    if (f->sigfd >= 0)
        close(f->sigfd);
    f->sigfd = -1;
    sigprocmask(SIG_SETMASK, &f->saved_mask, NULL);
}
