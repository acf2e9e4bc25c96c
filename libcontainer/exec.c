/* exec: run a new process in an existing container.
 *
 *   lock the state -> created, running (or paused with --ignore-paused)? -> the saved config's
 *   process with the flags applied (or --process) -> seccomp compiled -> the init's pidfd, root
 *   and the namespaces where it differs from hull -> the target cgroup -> unlock -> spawn
 *   (exec_spawn.c) -> --pid-file -> detach, or relay and wait in the foreground.
 *
 * The state lock is dropped before anything is spawned: a stage that enters a frozen cgroup
 * (--ignore-paused) must not keep `resume` out. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "../namespaces/ns.h"
#include "../oci/oci.h"
#include "../security/seccomp.h"
#include "container.h"
#include "exec_internal.h"
#include "foreground.h"
#include "lifecycle.h"
#include "statedir.h"

static int check_preserved_fds(int n, struct error **err) {
    for (int fd = 3; fd < 3 + n; fd++)
        if (fcntl(fd, F_GETFD) < 0)
            return error_new(err, EBADF, "--preserve-fds %d: fd %d is not open", n, fd);
    return 0;
}

static int check_status(const struct statedir *sd, const struct record *rec, bool ignore_paused, struct error **err) {
    enum status st = status_of(sd, rec);
    if (st == STATUS_STOPPED)
        return error_new(err, EINVAL, "cannot exec in a stopped container");
    if (st == STATUS_PAUSED && !ignore_paused)
        return error_new(err, EINVAL, "cannot exec in a paused container (use --ignore-paused to exec anyway)");
    return 0;
}

/* CLONE_NEW* of every namespace where pid's differs from hull's own (setns into one's own user
 * namespace is EINVAL). */
static int namespaces_to_join(pid_t pid, int *flags, struct error **err) {
    *flags = 0;
    for (size_t i = 0; i < ns_table_len; i++) {
        const struct ns_info *ns = &ns_table[i];
        _cleanup_free_ char *theirs = xasprintf("/proc/%d/ns/%s", (int)pid, ns->proc_name);
        _cleanup_free_ char *ours = xasprintf("/proc/self/ns/%s", ns->proc_name);
        struct stat a, b;
        if (stat(ours, &a) < 0 && errno == ENOENT)
            continue; /* a namespace type this kernel lacks */
        if (stat(theirs, &b) < 0)
            return error_sys(err, errno, "stat %s", theirs);
        if (a.st_ino != b.st_ino || a.st_dev != b.st_dev)
            *flags |= ns->flag;
    }
    return 0;
}

/* The init's pidfd, root and namespaces, checked to belong to the recorded process. */
static int open_init(struct exec_ctx *c, const struct record *rec, struct error **err) {
    c->init_pid = rec->pid;
    c->init_pidfd = (int)syscall(SYS_pidfd_open, rec->pid, 0);
    if (c->init_pidfd < 0)
        return error_sys(err, errno, "pidfd_open the container's process %d", (int)rec->pid);
    _cleanup_free_ char *root = xasprintf("/proc/%d/root", (int)rec->pid);
    c->root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (c->root_fd < 0)
        return error_sys(err, errno, "open %s", root);
    int r = namespaces_to_join(rec->pid, &c->ns_flags, err);
    if (r < 0)
        return r;
    /* everything above named the process by pid: make sure that is still the container's */
    unsigned long long st;
    if (proc_start_time(rec->pid, &st) < 0 || st != rec->start_time ||
        syscall(SYS_pidfd_send_signal, c->init_pidfd, 0, NULL, 0) < 0)
        return error_new(err, ESRCH, "the container's process %d is gone", (int)rec->pid);
    return 0;
}

/* The unified hierarchy's directory of pid's cgroup, from mountinfo and /proc/<pid>/cgroup. */
static int unified_dir_of(pid_t pid, char **out, struct error **err) {
    _cleanup_free_ char *cg = NULL, *mi = NULL;
    _cleanup_free_ char *cg_path = xasprintf("/proc/%d/cgroup", (int)pid);
    int r = read_file(cg_path, &cg, NULL, err);
    if (r < 0 || (r = read_file("/proc/self/mountinfo", &mi, NULL, err)) < 0)
        return r;
    char *line = strstr(cg, "\n0::");
    line = str_has_prefix(cg, "0::") ? cg + 3 : line ? line + 4 : NULL;
    if (!line)
        return error_new(err, ENOTSUP, "the container's process is in no cgroup v2 hierarchy");
    line[strcspn(line, "\n")] = '\0';
    for (char *save = NULL, *l = strtok_r(mi, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char root[4096], mnt[4096], fstype[64];
        const char *dash = strstr(l, " - ");
        if (!dash || sscanf(dash, " - %63s", fstype) != 1 || strcmp(fstype, "cgroup2") ||
            sscanf(l, "%*s %*s %*s %4095s %4095s", root, mnt) != 2)
            continue;
        str_unescape_octal(root);
        str_unescape_octal(mnt);
        const char *rel = line;
        if (strcmp(root, "/") && str_has_prefix(rel, root))
            rel += strlen(root);
        *out = xasprintf("%s%s", mnt, rel);
        return 0;
    }
    return error_new(err, ENOTSUP, "no cgroup v2 hierarchy is mounted");
}

static int check_subpath(const char *sub, struct error **err) {
    if (strchr(sub, ':'))
        return error_new(err, ENOTSUP, "--cgroup %s: the controller:path form is for cgroup v1, which has no sub-cgroups here", sub);
    if (!*sub || !strcmp(sub, "..") || str_has_prefix(sub, "../") || strstr(sub, "/../") ||
        (strlen(sub) >= 3 && !strcmp(sub + strlen(sub) - 3, "/..")))
        return error_new(err, EINVAL, "--cgroup \"%s\": must be a path below the container's cgroup", sub);
    return 0;
}

/* Where the stage starts: the container's v2 cgroup (or --cgroup below it) by CLONE_INTO_CGROUP
 * on a pure v2 host; else it is moved in after the clone (and into --cgroup on the unified
 * hierarchy of a hybrid host). */
static int plan_cgroup(struct exec_ctx *c, struct error **err) {
    const char *sub = c->opts->cgroup;
    int v2 = cgroup_v2_fd(c->cg);
    c->cgroup_fd = sub ? -1 : v2;
    if (!sub)
        return 0;
    if (cgroup_layout(c->cg) == CGROUP_LAYOUT_NONE)
        return error_new(err, ENOTSUP,
                         "--cgroup %s: the container has no cgroup of its own (created with --cgroup-manager disabled)",
                         sub);
    int r = check_subpath(sub, err);
    if (r < 0)
        return r;
    while (*sub == '/')
        sub++;
    if (v2 >= 0) {
        c->cgroup_fd = openat(v2, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (c->cgroup_fd < 0)
            return error_sys(err, errno, "--cgroup %s: the container's cgroup %s/%s", c->opts->cgroup,
                             cgroup_path(c->cg), sub);
        return 0;
    }
    _cleanup_free_ char *dir = NULL;
    if ((r = unified_dir_of(c->init_pid, &dir, err)) < 0)
        return error_wrap(err, r, "--cgroup %s", c->opts->cgroup);
    _cleanup_free_ char *target = xasprintf("%s/%s", dir, sub);
    struct stat st;
    if (stat(target, &st) < 0 || !S_ISDIR(st.st_mode))
        return error_new(err, ENOENT, "--cgroup %s: %s does not exist", c->opts->cgroup, target);
    c->sub_cgroup_procs = xasprintf("%s/cgroup.procs", target);
    return 0;
}

/* Everything that needs the state: read under its lock. */
static int prepare(struct exec_ctx *c, struct error **err) {
    const struct exec_opts *o = c->opts;
    struct statedir *sd __attribute__((cleanup(statedir_freep))) = NULL;
    struct record rec;
    int r = statedir_open_created(o->root, o->id, &sd, &rec, err);
    if (r < 0)
        return r;
    if ((r = check_status(sd, &rec, o->ignore_paused, err)) >= 0 && (r = load_saved_spec(sd, &c->spec, err)) >= 0 &&
        (r = exec_build_process(c, err)) >= 0 && (r = statedir_load_cgroup(sd, &c->cg, err)) >= 0 &&
        (r = open_init(c, &rec, err)) >= 0 && (r = plan_cgroup(c, err)) >= 0) {
        const struct oci_seccomp *sc = c->spec->linux ? c->spec->linux->seccomp : NULL;
        _cleanup_free_ char *cache = sc ? statedir_seccomp_cache(o->root) : NULL;
        if (sc)
            r = seccomp_filter_compile_cached(sc, cache, &c->seccomp, err);
        c->state_json = saved_state_json(sd, &rec, "running");
    }
    record_clear(&rec);
    return r;
}

static int write_pid_file(const char *path, pid_t pid, struct error **err) {
    if (!path)
        return 0;
    _cleanup_free_ char *text = xasprintf("%d", (int)pid);
    int r = write_file_atomic(path, text, strlen(text), 0644, err);
    return r < 0 ? error_wrap(err, r, "--pid-file") : 0;
}

static int run(struct exec_ctx *c, int *exit_status, struct error **err) {
    const struct exec_opts *o = c->opts;
    struct foreground fg = {.sigfd = -1};
    int r;
    if (!o->detach && (r = foreground_begin(&fg, err)) < 0)
        return r;
    r = exec_spawn(c, err);
    if (r >= 0 && (r = write_pid_file(o->pid_file, c->pid, err)) < 0) {
        kill(c->pid, SIGKILL);
        if (o->detach)
            waitpid(c->pid, NULL, 0);
    }
    if (!o->detach) {
        int r2 = 0;
        if (c->pid > 0)
            r2 = foreground_wait(&fg, c->pid, c->pidfd, c->pty_master, exit_status, err);
        foreground_end(&fg);
        if (r >= 0)
            r = r2;
    }
    return r;
}

static void ctx_free(struct exec_ctx *c) {
    if (c->init_pidfd >= 0)
        close(c->init_pidfd);
    if (c->root_fd >= 0)
        close(c->root_fd);
    if (c->cgroup_fd >= 0 && c->cgroup_fd != cgroup_v2_fd(c->cg))
        close(c->cgroup_fd);
    if (c->sync_parent >= 0)
        close(c->sync_parent);
    if (c->pidfd >= 0)
        close(c->pidfd);
    if (c->pty_master >= 0)
        close(c->pty_master);
    seccomp_filter_free(c->seccomp);
    cgroup_free(c->cg);
    oci_process_free(c->proc);
    oci_spec_free(c->spec);
    free(c->sub_cgroup_procs);
    free(c->state_json);
}

int container_exec(const struct exec_opts *o, int *exit_status, struct error **err) {
    struct exec_ctx c = {
        .opts = o, .init_pidfd = -1, .root_fd = -1, .cgroup_fd = -1, .sync_parent = -1, .sync_child = -1,
        .pidfd = -1, .pty_master = -1,
    };
    *exit_status = 0;
    int r = container_id_validate(o->id, err);
    if (r >= 0 && (r = check_preserved_fds(o->preserve_fds, err)) >= 0 && (r = prepare(&c, err)) >= 0)
        r = run(&c, exit_status, err);
    ctx_free(&c);
    return r < 0 ? error_wrap(err, r, "exec in container %s", o->id) : 0;
}
