/* OCI hooks: fork, exec hook.path with hook.args and hook.env, the state JSON on stdin (a pipe),
 * stdout/stderr inherited from hull (as runc does), wait with hook.timeout (pidfd + poll). */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../oci/oci.h"
#include "process.h"

const char *hooks_kind_name(enum oci_hook_kind kind) {
    return (unsigned)kind < OCI_HOOK__COUNT ? oci_hook_names[kind] : "unknown";
}

/* A pipe whose ends are both above 2, so that the child's dup2 onto stdin cannot clobber them
 * when hull was started with a closed stdio descriptor. */
static int pipe_above_stdio(int p[2]) {
    if (pipe2(p, O_CLOEXEC) < 0)
        return -errno;
    for (int i = 0; i < 2; i++) {
        if (p[i] > 2)
            continue;
        int fd = fcntl(p[i], F_DUPFD_CLOEXEC, 3);
        if (fd < 0) {
            int e = errno;
            close(p[0]);
            close(p[1]);
            return -e;
        }
        close(p[i]);
        p[i] = fd;
    }
    return 0;
}

/* In the forked child: only async-signal-safe calls (no allocation). */
static _Noreturn void hook_child(const char *path, char *const *argv, char *const *envp, int in_r, int status_w) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL); /* hull may ignore SIGPIPE; the hook must not inherit that */
    if (dup2(in_r, 0) < 0)
        goto fail;
    /* every fd >= 3 closes at exec; status_w stays usable until then */
    if (process_close_fds(0, NULL) < 0)
        goto fail;
    execve(path, argv, envp);
fail:;
    int e = errno;
    (void)!write(status_w, &e, sizeof(e));
    _exit(127);
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Write what the pipe takes now; close it when done or when the hook stopped reading. */
static void feed(int *in_w, const char *data, size_t len, size_t *done) {
    while (*done < len) {
        ssize_t n = write(*in_w, data + *done, len - *done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return;
            break; /* EPIPE: the hook does not read its stdin, which is its right */
        }
        *done += (size_t)n;
    }
    close(*in_w);
    *in_w = -1;
}

/* Feed the state and wait for the exit (pidfd readable) or the deadline; 1 = exited, 0 = timed
 * out. Without a pidfd (kernels before 5.3), poll waitpid every 10 ms. */
static int feed_and_wait(pid_t pid, int pidfd, int *in_w, const char *state, int timeout, int *status,
                         struct error **err) {
    size_t len = strlen(state), done = 0;
    long long deadline = timeout > 0 ? now_ms() + (long long)timeout * 1000 : -1;
    for (;;) {
        if (pidfd < 0) {
            pid_t w = waitpid(pid, status, WNOHANG);
            if (w == pid)
                return 1;
        }
        long long left = deadline < 0 ? -1 : deadline - now_ms();
        if (deadline >= 0 && left <= 0)
            return 0;
        if (pidfd < 0 && (left < 0 || left > 10))
            left = 10;
        struct pollfd pfd[2] = {{.fd = pidfd, .events = POLLIN}, {.fd = *in_w, .events = POLLOUT}};
        int n = poll(pfd, 2, (int)left);
        if (n < 0 && errno != EINTR)
            return error_sys(err, errno, "poll");
        if (n > 0 && pfd[1].revents)
            feed(in_w, state, len, &done);
        if (n > 0 && (pfd[0].revents & POLLIN)) {
            while (waitpid(pid, status, 0) < 0)
                if (errno != EINTR)
                    return error_sys(err, errno, "waitpid");
            return 1;
        }
    }
}

/* Block SIGPIPE around the writes to the hook's stdin (a hook may exit without reading it); a
 * SIGPIPE raised by those writes is consumed, one that was pending before is left alone. */
struct sigpipe_guard {
    sigset_t old;
    bool was_pending;
};

static void sigpipe_block(struct sigpipe_guard *g) {
    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    sigpending(&pending);
    g->was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, &g->old);
}

static void sigpipe_restore(struct sigpipe_guard *g) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    if (!g->was_pending) {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

static int exit_status(int status, struct error **err) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFEXITED(status))
        return error_new(err, EIO, "exited with status %d", WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return error_new(err, EIO, "killed by signal %d", WTERMSIG(status));
    return error_new(err, EIO, "ended with wait status %#x", status);
}

/* After the fork: learn whether the exec worked, then feed and wait. */
static int supervise(pid_t pid, int in_w, int status_r, const struct oci_hook *h, const char *state,
                     struct error **err) {
    int exec_errno = 0, status = 0;
    ssize_t n;
    while ((n = read(status_r, &exec_errno, sizeof(exec_errno))) < 0 && errno == EINTR)
        ;
    if (n == (ssize_t)sizeof(exec_errno)) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        close(in_w);
        return error_sys(err, exec_errno, "exec");
    }
    _cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    fcntl(in_w, F_SETFL, O_NONBLOCK);
    struct sigpipe_guard g;
    sigpipe_block(&g);
    int r = feed_and_wait(pid, pidfd, &in_w, state, h->timeout, &status, err);
    if (in_w >= 0)
        close(in_w);
    sigpipe_restore(&g);
    if (r <= 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        return r < 0 ? r : error_new(err, ETIMEDOUT, "timed out after %ds", h->timeout);
    }
    return exit_status(status, err);
}

static int hook_run_one(const struct oci_hook *h, const char *state, struct error **err) {
    char *default_argv[] = {h->path, NULL}, *no_env[] = {NULL};
    char *const *argv = h->args && h->args[0] ? h->args : default_argv;
    char *const *envp = h->env ? h->env : no_env;
    int in[2], st[2], r;
    if ((r = pipe_above_stdio(in)) < 0)
        return error_sys(err, -r, "pipe");
    if ((r = pipe_above_stdio(st)) < 0) {
        close(in[0]);
        close(in[1]);
        return error_sys(err, -r, "pipe");
    }
    pid_t pid = fork();
    if (pid == 0)
        hook_child(h->path, argv, envp, in[0], st[1]);
    int e = errno;
    close(in[0]);
    close(st[1]);
    _cleanup_close_ int status_r = st[0];
    if (pid < 0) {
        close(in[1]);
        return error_sys(err, e, "fork");
    }
    return supervise(pid, in[1], status_r, h, state ? state : "", err);
}

int hooks_run(const struct oci_spec *spec, enum oci_hook_kind kind, const char *state_json, struct error **err) {
    if ((unsigned)kind >= OCI_HOOK__COUNT)
        return error_new(err, EINVAL, "hooks: unknown hook kind %d", (int)kind);
    const struct oci_hook_list *list = &spec->hooks[kind];
    for (size_t i = 0; i < list->n; i++) {
        const struct oci_hook *h = &list->items[i];
        if (kind == OCI_HOOK_POSTSTOP) {
            /* runtime.md: a failing poststop hook is a warning; the rest still run */
            struct error *e = NULL;
            if (hook_run_one(h, state_json, &e) < 0)
                log_warn("hooks.poststop[%zu] (%s): %s", i, h->path, e->msg);
            error_free(e);
            continue;
        }
        int r = hook_run_one(h, state_json, err);
        if (r < 0)
            return error_wrap(err, r, "hooks.%s[%zu] (%s)", oci_hook_names[kind], i, h->path);
    }
    return 0;
}
