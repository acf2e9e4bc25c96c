/* ps: the processes of a container, as pids or as ps(1) prints them. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "../cgroups/cgroup.h"
#include "container.h"
#include "statedir.h"

int container_pids(const char *root, const char *id, pid_t **pids, size_t *n, struct error **err) {
    struct statedir *sd __attribute__((cleanup(statedir_freep))) = NULL;
    *pids = NULL;
    *n = 0;
    int r = statedir_open(root, id, &sd, err);
    if (r < 0)
        return r;
    struct cgroup *cg = NULL;
    if ((r = statedir_load_cgroup(sd, &cg, err)) >= 0)
        r = cgroup_pids(cg, pids, n, err);
    cgroup_free(cg);
    return r < 0 ? error_wrap(err, r, "ps container %s", id) : 0;
}

/* Everything until EOF from fd. */
static int read_fd(int fd, char **out, struct error **err) {
    size_t cap = 4096, n = 0;
    _cleanup_free_ char *buf = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap)
            buf = xrealloc(buf, cap *= 2);
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return error_sys(err, errno, "read the output of ps");
        if (r == 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    *out = TAKE_PTR(buf);
    return 0;
}

/* Run `ps ARGS` (-ef when none) and return its standard output; its standard error goes to ours. */
static int run_ps(char *const *args, char **out, struct error **err) {
    _cleanup_strv_ char **argv = NULL;
    strv_push(&argv, xstrdup("ps"));
    if (!args || !*args)
        strv_push(&argv, xstrdup("-ef"));
    for (; args && *args; args++)
        strv_push(&argv, xstrdup(*args));
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return error_sys(err, errno, "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        if (dup2(p[1], STDOUT_FILENO) >= 0)
            execvp("ps", argv);
        _exit(127);
    }
    int e = errno;
    close(p[1]);
    _cleanup_close_ int rd = p[0];
    if (pid < 0)
        return error_sys(err, e, "fork");
    int r = read_fd(rd, out, err);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return error_sys(err, errno, "wait for ps");
    if (r >= 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
        free(*out);
        *out = NULL;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            return error_new(err, ENOENT, "ps: cannot run ps (is procps installed?)");
        return error_new(err, EIO, "ps exited with status %d", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    }
    return r;
}

/* The index of the PID column in the header line, or -1. */
static int pid_column(const char *header) {
    _cleanup_free_ char *h = xstrdup(header);
    char *save = NULL;
    int i = 0;
    for (char *f = strtok_r(h, " \t", &save); f; f = strtok_r(NULL, " \t", &save), i++)
        if (!strcmp(f, "PID"))
            return i;
    return -1;
}

/* Field number col of line, as a pid; -1 when absent or not a number. */
static pid_t field_pid(const char *line, int col) {
    _cleanup_free_ char *l = xstrdup(line);
    char *save = NULL, *f = strtok_r(l, " \t", &save);
    for (int i = 0; f && i < col; i++)
        f = strtok_r(NULL, " \t", &save);
    int64_t v;
    return f && parse_int64(f, &v) == 0 && v > 0 && v <= INT32_MAX ? (pid_t)v : -1;
}

static bool has_pid(const pid_t *pids, size_t n, pid_t p) {
    for (size_t i = 0; i < n; i++)
        if (pids[i] == p)
            return true;
    return false;
}

int container_ps_table(const char *root, const char *id, char *const *ps_args, char **out, struct error **err) {
    _cleanup_free_ pid_t *pids = NULL;
    size_t n = 0;
    int r = container_pids(root, id, &pids, &n, err);
    if (r < 0)
        return r;
    _cleanup_free_ char *text = NULL;
    if ((r = run_ps(ps_args, &text, err)) < 0)
        return error_wrap(err, r, "ps container %s", id);
    char *save = NULL, *header = strtok_r(text, "\n", &save);
    int col = header ? pid_column(header) : -1;
    if (col < 0)
        return error_new(err, EINVAL, "ps container %s: no PID column in the output of ps (give ps options that print one)", id);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        abort();
    fprintf(f, "%s\n", header);
    for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if (has_pid(pids, n, field_pid(line, col)))
            fprintf(f, "%s\n", line);
    fclose(f);
    *out = buf;
    return 0;
}
