/* create: load and check the bundle, prepare everything in the parent, clone the container
 * process, answer its sync messages, and record the state.  Any failure undoes it all: no state
 * directory, cgroup, mount or process is left behind. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../namespaces/ns.h"
#include "../oci/oci.h"
#include "../security/seccomp.h"
#include "create.h"
#include "hooks.h"
#include "netsetup.h"
#include "process.h"
#include "sync.h"
#include "terminal.h"

char *launch_state_json(const struct launch *l, const char *status, pid_t pid) {
    struct oci_state st = {
        .oci_version = OCI_RUNTIME_SPEC_VERSION,
        .id = (char *)l->opts->id,
        .status = (char *)status,
        .pid = pid,
        .bundle = l->bundle,
        .annotations = l->spec->annotations,
        .n_annotations = l->spec->n_annotations,
    };
    return oci_state_to_json(&st, false);
}

/* Features of config.json that later issues bring: refused with a clear error, never ignored. */
static int refuse_unsupported(const struct oci_spec *s, struct error **err) {
    const struct oci_linux *lx = s->linux;
    if (lx->intel_rdt)
        return error_new(err, ENOTSUP, "linux.intelRdt: Intel RDT is not supported on this host");
    if (lx->memory_policy)
        return error_new(err, ENOTSUP, "linux.memoryPolicy: memory policies are not supported by this build yet");
    return lsm_check_mount_label(lx->mount_label, err);
}

static int check_bundle(struct launch *l, struct error **err) {
    const struct oci_spec *s = l->spec;
    if (!s->linux)
        return error_new(err, EINVAL, "linux: config.json has no \"linux\" object, which a Linux container needs");
    if (!s->root_path || !*s->root_path)
        return error_new(err, EINVAL, "root.path: required");
    _cleanup_free_ char *joined =
        s->root_path[0] == '/' ? xstrdup(s->root_path) : xasprintf("%s/%s", l->bundle, s->root_path);
    char *real = realpath(joined, NULL);
    if (!real)
        return error_sys(err, errno, "root.path: %s", joined);
    l->rootfs = real;
    struct stat st;
    if (stat(real, &st) < 0 || !S_ISDIR(st.st_mode))
        return error_new(err, ENOTDIR, "root.path: %s is not a directory", real);
    const struct oci_process *p = s->process;
    if (p && (!p->args || !p->args[0]))
        return error_new(err, EINVAL, "process.args: must name the program to run");
    if (p && p->terminal && !l->opts->console_socket && !l->start_blocked)
        return error_new(err, EINVAL,
                         "process.terminal: a detached container with a terminal needs --console-socket");
    if (l->opts->console_socket && !(p && p->terminal))
        return error_new(err, EINVAL, "--console-socket: process.terminal is not true in config.json");
    int r = refuse_unsupported(s, err);
    if (r < 0)
        return r;
    return p ? process_precheck(p, err) : 0;
}

static int plan_namespaces(struct launch *l, struct error **err) {
    const struct oci_linux *lx = l->spec->linux;
    if (!(lx->ns_new_flags & CLONE_NEWNS))
        return error_new(err, EINVAL,
                         "linux.namespaces: hull needs a new mount namespace (an entry {\"type\": \"mount\"} without a path)");
    for (size_t t = 0; t < ns_table_len; t++)
        for (size_t i = 0; i < lx->n_namespaces; i++) {
            const struct oci_namespace *ns = &lx->namespaces[i];
            if (ns->type != ns_table[t].flag || !ns->path)
                continue;
            int fd = ns_open(ns->path, ns->type, err);
            if (fd < 0)
                return error_wrap(err, fd, "linux.namespaces[%zu]", i);
            l->join_fd[l->n_joins] = fd;
            l->join_flag[l->n_joins++] = ns->type;
        }
    int late = CLONE_NEWCGROUP | CLONE_NEWTIME;
    l->clone_flags = lx->ns_new_flags & ~late;
    l->unshare_flags = lx->ns_new_flags & late;
    l->use_stage = (lx->ns_join_flags & (CLONE_NEWUSER | CLONE_NEWPID)) != 0;
    l->in_userns = ((lx->ns_new_flags | lx->ns_join_flags) & CLONE_NEWUSER) != 0;
    return 0;
}

static int listen_for_start(struct launch *l, struct error **err) {
    struct sockaddr_un a;
    int r = statedir_socket_addr(l->sd, "start.sock", &a, err);
    if (r < 0)
        return r;
    _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return error_sys(err, errno, "socket");
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
        return error_sys(err, errno, "bind %s/start.sock", l->sd->path);
    if (listen(fd, 4) < 0)
        return error_sys(err, errno, "listen on %s/start.sock", l->sd->path);
    l->start_listen = TAKE_FD(fd);
    return 0;
}

static int run_runtime_hooks(struct launch *l, struct error **err) {
    _cleanup_free_ char *state = launch_state_json(l, "creating", l->pid);
    int r = hooks_run(l->spec, OCI_HOOK_PRESTART, state, err);
    if (r >= 0)
        r = hooks_run(l->spec, OCI_HOOK_CREATE_RUNTIME, state, err);
    return r;
}

/* SCMP_ACT_NOTIFY: the child loaded its filter; give the listener to the seccomp agent, then let
 * the child go on (its next syscalls may already need the agent). */
static int forward_seccomp_fd(struct launch *l, int fd, struct error **err) {
    const struct oci_seccomp *sc = l->spec->linux->seccomp;
    _cleanup_close_ int listener = fd;
    if (listener < 0 || !sc)
        return error_new(err, EPROTO, "unexpected seccomp-fd message from the container process");
    _cleanup_free_ char *state = launch_state_json(l, "creating", l->pid);
    int r = seccomp_listener_send(sc->listener_path, sc->listener_metadata, listener, l->pid, state, err);
    if (r < 0)
        return r;
    return sync_send(l->sync_parent, SYNC_SECCOMP_DONE, NULL, 0, -1, err);
}

static int receive_pty(struct launch *l, int fd, struct error **err) {
    if (l->opts->console_socket) {
        int r = terminal_send_to_console_socket(l->opts->console_socket, fd, err);
        close(fd);
        return r < 0 ? error_wrap(err, r, "--console-socket %s", l->opts->console_socket) : 0;
    }
    l->pty_master = fd;
    return 0;
}

/* Every container gets device rules (deny all but the defaults, linux.devices and the spec's
 * rules), with or without linux.resources, as runc and crun do.  They go in once the container
 * process has built its /dev (mknod needs the 'm' access a rule may deny) and before the user's
 * process runs, as runc does. */
static int apply_device_rules(struct launch *l, struct error **err) {
    _cleanup_free_ struct cgroup_device_rule *rules = NULL;
    size_t n = 0;
    cgroup_device_rules(l->spec->linux, &rules, &n);
    return cgroup_set_devices(l->cg, rules, n, err);
}

/* Answer the child until it is ready (or fails). */
static int follow_child(struct launch *l, struct error **err) {
    for (;;) {
        enum sync_type t;
        int fd = -1;
        int r = sync_recv(l->sync_parent, &t, NULL, NULL, &fd, err);
        if (r < 0)
            return r;
        switch (t) {
        case SYNC_RUN_HOOKS:
            if ((r = run_runtime_hooks(l, err)) < 0)
                return r;
            if ((r = sync_send(l->sync_parent, SYNC_HOOKS_DONE, NULL, 0, -1, err)) < 0)
                return r;
            break;
        case SYNC_PTY:
            if (fd < 0)
                return error_new(err, EPROTO, "pty message without a descriptor");
            if ((r = receive_pty(l, fd, err)) < 0)
                return r;
            break;
        case SYNC_SECCOMP_FD:
            if ((r = forward_seccomp_fd(l, fd, err)) < 0)
                return r;
            break;
        case SYNC_READY:
            return apply_device_rules(l, err);
        default:
            if (fd >= 0)
                close(fd);
            return error_new(err, EPROTO, "unexpected %s message from the container process", sync_name(t));
        }
    }
}

static int write_state(struct launch *l, struct error **err) {
    _cleanup_free_ char *path = xasprintf("%s/config.json", l->sd->path);
    int r = write_file_atomic(path, l->config_json, l->config_len, 0600, err);
    if (r < 0)
        return r;
    unsigned long long start_time = 0;
    if (proc_start_time(l->pid, &start_time) < 0)
        return error_new(err, ESRCH, "the container process %d exited during create", (int)l->pid);
    struct passwd *pw = getpwuid(geteuid());
    _cleanup_free_ char *created = rfc3339_now();
    struct record rec = {
        .pid = l->pid,
        .start_time = start_time,
        .bundle = l->bundle,
        .created = created,
        .owner = pw ? pw->pw_name : "",
        .has_process = l->spec->process != NULL,
    };
    return record_write(l->sd, &rec, err);
}

static int write_pid_file(const char *path, pid_t pid, struct error **err) {
    if (!path)
        return 0;
    _cleanup_free_ char *text = xasprintf("%d", (int)pid);
    int r = write_file_atomic(path, text, strlen(text), 0644, err);
    return r < 0 ? error_wrap(err, r, "--pid-file") : 0;
}

static int write_initial_state(struct launch *l, struct error **err) {
    _cleanup_free_ char *json = NULL;
    struct oci_state st = {
        .oci_version = OCI_RUNTIME_SPEC_VERSION, .id = (char *)l->opts->id, .status = "creating",
        .bundle = l->bundle, .annotations = l->spec->annotations, .n_annotations = l->spec->n_annotations,
    };
    json = oci_state_to_json(&st, true);
    _cleanup_free_ char *path = xasprintf("%s/state.json", l->sd->path);
    return write_file_atomic(path, json, strlen(json), 0600, err);
}

/* Socket activation, as runc does it: when hull itself was given LISTEN_FDS (LISTEN_PID is
 * ours), those descriptors (3 ...) go to the container, before the --preserve-fds ones, and the
 * process learns of them through LISTEN_FDS=N and LISTEN_PID=1. */
static void pass_listen_fds(struct launch *l) {
    l->preserve_fds = l->opts->preserve_fds;
    const char *n = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
    int64_t count, owner;
    if (!n || !pid || parse_int64(n, &count) < 0 || parse_int64(pid, &owner) < 0 || owner != getpid() || count <= 0 ||
        count > 65536 || !l->spec->process)
        return;
    l->preserve_fds += (int)count;
    strv_push(&l->spec->process->env, xasprintf("LISTEN_FDS=%d", (int)count));
    strv_push(&l->spec->process->env, xstrdup("LISTEN_PID=1"));
}

/* Everything before the clone. */

static int prepare(struct launch *l, struct error **err) {
    const struct create_opts *o = l->opts;
    int r = container_id_validate(o->id, err);
    if (r < 0)
        return r;
    l->bundle = realpath(o->bundle ? o->bundle : ".", NULL);
    if (!l->bundle)
        return error_sys(err, errno, "bundle %s", o->bundle ? o->bundle : ".");
    _cleanup_free_ char *cfg = xasprintf("%s/config.json", l->bundle);
    if ((r = read_file(cfg, &l->config_json, &l->config_len, err)) < 0)
        return r;
    if ((r = oci_spec_parse(l->config_json, l->config_len, &l->spec, err)) < 0)
        return error_wrap(err, r, "%s", cfg);
    if ((r = check_bundle(l, err)) < 0 || (r = plan_namespaces(l, err)) < 0 || (r = netsetup_prepare(l, err)) < 0)
        return r;
    if (l->spec->linux->seccomp) {
        _cleanup_free_ char *cache = statedir_seccomp_cache(o->root);
        if ((r = seccomp_filter_compile_cached(l->spec->linux->seccomp, cache, &l->seccomp, err)) < 0)
            return r;
    }
    pass_listen_fds(l);
    log_debug("container %s: bundle %s, rootfs %s, new namespaces 0x%x, joined 0x%x", o->id, l->bundle, l->rootfs,
              l->spec->linux->ns_new_flags, l->spec->linux->ns_join_flags);
    if ((r = statedir_create(o->root, o->id, &l->sd, err)) < 0)
        return r;
    if ((r = write_initial_state(l, err)) < 0)
        return r;
    if (o->no_cgroups)
        cgroup_create_none(&l->cg);
    else if ((r = cgroup_create(l->spec->linux->cgroups_path, o->id, &l->cg, err)) < 0)
        return r;
    log_debug("container %s: cgroup %s", o->id, cgroup_path(l->cg));
    /* recorded at once, so that `delete` finds it even if this create dies half-way */
    _cleanup_free_ char *cg = cgroup_serialize(l->cg);
    _cleanup_free_ char *cg_path = xasprintf("%s/cgroup", l->sd->path);
    if ((r = write_file_atomic(cg_path, cg, strlen(cg), 0600, err)) < 0)
        return r;
    if ((r = cgroup_apply(l->cg, l->spec->linux->resources, err)) < 0)
        return r;
    if ((r = listen_for_start(l, err)) < 0)
        return r;
    int sp[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
        return error_sys(err, errno, "socketpair");
    l->sync_parent = sp[0];
    l->sync_child = sp[1];
    return 0;
}

static int launch_child(struct launch *l, struct error **err) {
    int r = spawn_container(l, err);
    close(l->sync_child);
    l->sync_child = -1;
    if (r < 0)
        return r;
    log_debug("container %s: process %d cloned%s", l->opts->id, (int)l->pid, l->use_stage ? " through a stage" : "");
    if ((l->clone_flags & CLONE_NEWUSER) && (r = ns_write_id_maps(l->pid, l->spec->linux, false, err)) < 0)
        return r;
    if ((r = cgroup_enter(l->cg, l->pid, cgroup_v2_fd(l->cg) >= 0, err)) < 0)
        return r;
    if ((r = netsetup_apply(l, err)) < 0) /* before the child goes on: its process starts with its network */
        return r;
    int32_t pid = l->pid; /* the child's own pid as the host sees it, for its hooks' state */
    if ((r = sync_send(l->sync_parent, SYNC_CONTINUE, &pid, sizeof(pid), -1, err)) < 0)
        return r;
    if ((r = follow_child(l, err)) < 0)
        return r;
    log_debug("container %s: created, process %d waits for start", l->opts->id, (int)l->pid);
    if ((r = write_state(l, err)) < 0)
        return r;
    return write_pid_file(l->opts->pid_file, l->pid, err);
}

void launch_init(struct launch *l, const struct create_opts *o, bool foreground) {
    memset(l, 0, sizeof(*l));
    l->opts = o;
    l->start_blocked = foreground;
    l->sync_parent = l->sync_child = l->start_listen = l->pidfd = l->pty_master = -1;
}

/* Undo a failed create: the process, the cgroup, the state directory; then poststop hooks. */
static void rollback(struct launch *l) {
    if (l->pid > 0) {
        kill(l->pid, SIGKILL);
        while (waitpid(l->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        l->pid = 0;
    }
    netsetup_rollback(l);
    struct error *e = NULL;
    if (l->cg && cgroup_destroy(l->cg, &e) < 0) {
        log_warn("cleanup: %s", e->msg);
        error_free(e);
        e = NULL;
    }
    if (l->sd && statedir_remove(l->sd, &e) < 0) {
        log_warn("cleanup: %s", e->msg);
        error_free(e);
        e = NULL;
    }
    if (l->spec && l->sd && l->spec->hooks[OCI_HOOK_POSTSTOP].n) {
        _cleanup_free_ char *state = launch_state_json(l, "stopped", 0);
        hooks_run(l->spec, OCI_HOOK_POSTSTOP, state, NULL); /* failures are warnings */
    }
}

int launch_create(struct launch *l, struct error **err) {
    int r = prepare(l, err);
    if (r >= 0)
        r = launch_child(l, err);
    if (r < 0) {
        rollback(l);
        return error_wrap(err, r, "create container %s", l->opts->id);
    }
    netsetup_free(l); /* created: let go of the container's network namespace */
    return 0;
}

void launch_free(struct launch *l) {
    for (size_t i = 0; i < l->n_joins; i++)
        close(l->join_fd[i]);
    if (l->sync_parent >= 0)
        close(l->sync_parent);
    if (l->start_listen >= 0)
        close(l->start_listen);
    if (l->pidfd >= 0)
        close(l->pidfd);
    if (l->pty_master >= 0)
        close(l->pty_master);
    netsetup_free(l);
    cgroup_free(l->cg);
    seccomp_filter_free(l->seccomp);
    statedir_free(l->sd);
    oci_spec_free(l->spec);
    free(l->config_json);
    free(l->bundle);
    free(l->rootfs);
    memset(l, 0, sizeof(*l));
}

int container_create(const struct create_opts *o, struct error **err) {
    struct launch l;
    launch_init(&l, o, false);
    int r = launch_create(&l, err);
    launch_free(&l);
    return r;
}
