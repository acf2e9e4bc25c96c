/* The container's first process, from the clone to the exec of process.args.
 *
 *   wait CONTINUE (maps written, cgroup entered) -> root in the user namespace -> join namespaces
 *   -> unshare cgroup/time -> lo up -> hostname -> mounts -> RUN_HOOKS (prestart, createRuntime in
 *   the parent) -> createContainer hooks -> pivot_root -> console -> sysctl, masked/readonly paths
 *   -> find the executable -> rlimits & co -> [seccomp without no_new_privs] -> user, capabilities,
 *   no_new_privs -> [seccomp with a listener] -> READY -> wait for start -> startContainer hooks
 *   -> [seccomp with no_new_privs] -> exec
 *
 * Any failure is sent to the parent as a SYNC_ERROR with its context, and the process exits. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../base/cleanup.h"
#include "../base/util.h"
#include "../namespaces/ns.h"
#include "../network/netlink.h"
#include "../oci/oci.h"
#include "../security/seccomp.h"
#include "hooks.h"
#include "launch.h"
#include "process.h"
#include "rootfs.h"
#include "sync.h"
#include "terminal.h"

static _Noreturn void fail(struct launch *l, struct error *e) {
    sync_send_error(l->sync_child, e);
    _exit(1);
}

static int join_namespaces(struct launch *l, struct error **err) {
    for (size_t i = 0; i < l->n_joins; i++) {
        if (l->join_flag[i] == CLONE_NEWUSER || l->join_flag[i] == CLONE_NEWPID)
            continue; /* joined by the stage, before the clone */
        int r = ns_join(l->join_fd[i], l->join_flag[i], err);
        if (r < 0)
            return r;
        close(l->join_fd[i]);
    }
    return 0;
}

static int unshare_late(struct launch *l, struct error **err) {
    if (l->unshare_flags & CLONE_NEWCGROUP)
        if (unshare(CLONE_NEWCGROUP) < 0)
            return error_sys(err, errno, "unshare the cgroup namespace");
    if (l->unshare_flags & CLONE_NEWTIME) {
        if (unshare(CLONE_NEWTIME) < 0)
            return error_sys(err, errno, "unshare the time namespace");
        int r = ns_write_time_offsets(l->spec->linux, err);
        if (r < 0)
            return r;
    }
    return 0;
}

static int set_names(const struct oci_spec *spec, struct error **err) {
    if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) < 0)
        return error_sys(err, errno, "hostname: sethostname \"%s\"", spec->hostname);
    if (spec->domainname && setdomainname(spec->domainname, strlen(spec->domainname)) < 0)
        return error_sys(err, errno, "domainname: setdomainname \"%s\"", spec->domainname);
    return 0;
}

static int new_session_keyring(struct launch *l, struct error **err) {
    if (l->opts->no_new_keyring)
        return 0;
    if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL, 0, 0, 0) < 0 && errno != ENOSYS)
        return error_sys(err, errno, "join a new session keyring (see --no-new-keyring)");
    return 0;
}

static int runtime_hooks(struct launch *l, struct error **err) {
    const struct oci_spec *s = l->spec;
    if (s->hooks[OCI_HOOK_PRESTART].n == 0 && s->hooks[OCI_HOOK_CREATE_RUNTIME].n == 0)
        return 0; /* no round trip when there is nothing to run */
    int r = sync_send(l->sync_child, SYNC_RUN_HOOKS, NULL, 0, -1, err);
    if (r < 0)
        return r;
    return sync_expect(l->sync_child, SYNC_HOOKS_DONE, NULL, NULL, err);
}

static int container_hooks(struct launch *l, enum oci_hook_kind kind, const char *status, struct error **err) {
    if (l->spec->hooks[kind].n == 0)
        return 0;
    _cleanup_free_ char *state = launch_state_json(l, status, l->pid);
    return hooks_run(l->spec, kind, state, err);
}

static int setup_terminal(struct launch *l, struct error **err) {
    const struct oci_process *p = l->spec->process;
    if (!p || !p->terminal)
        return 0;
    int master = -1, slave = -1;
    _cleanup_free_ char *slave_path = NULL;
    int r = terminal_open_pty_for(p, &master, &slave, &slave_path, err);
    if (r < 0)
        return r;
    _cleanup_close_ int m = master, s = slave;
    if ((r = rootfs_setup_console(s, err)) < 0)
        return r;
    if ((r = terminal_become_controlling(s, err)) < 0)
        return r;
    return sync_send(l->sync_child, SYNC_PTY, NULL, 0, m, err);
}

/* Block until `start` connects to start.sock and says go; returns the connection, which stays
 * open (close-on-exec) so that `start` learns of a failure before the exec, or of the exec. */
static int wait_for_start(struct launch *l, struct error **err) {
    for (;;) {
        int conn = accept4(l->start_listen, NULL, NULL, SOCK_CLOEXEC);
        if (conn < 0) {
            if (errno == EINTR)
                continue;
            return error_sys(err, errno, "wait for start");
        }
        char c;
        ssize_t n = read(conn, &c, 1);
        if (n == 1 && c == 'S') {
            close(l->start_listen);
            return conn;
        }
        close(conn); /* a stray connection: keep waiting */
    }
}

/* linux.seccomp at this step of the setup, if it is the step for it (process_seccomp.c). */
static int load_seccomp(struct launch *l, enum seccomp_when when, struct error **err) {
    return process_load_seccomp(l->seccomp, l->spec->process->no_new_privileges, when, l->sync_child, err);
}

/* Without a process nothing will ever use the caller's stdio: do not hold it open (a caller
 * reading create's output until EOF would wait for the container's delete). */
static int release_stdio(struct error **err) {
    _cleanup_close_ int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0)
        return error_sys(err, errno, "open /dev/null");
    for (int fd = 0; fd < 3; fd++)
        if (dup2(null, fd) < 0)
            return error_sys(err, errno, "dup2 /dev/null");
    return 0;
}

static _Noreturn void start_failed(int conn, struct error *e) {
    const char *m = e && e->msg ? e->msg : "unknown error";
    (void)!write(conn, "E", 1);
    (void)write_all(conn, m, strlen(m));
    _exit(127);
}

_Noreturn void init_main(struct launch *l) {
    struct error *err = NULL;
    const struct oci_spec *spec = l->spec;
    const struct oci_process *proc = spec->process;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* outside a user namespace nothing needs it dumpable: hidden from the start (a joined pid
     * namespace's processes see it at once) */
    if (!l->in_userns && process_make_undumpable(&err) < 0)
        fail(l, err);
    close(l->sync_parent);
    /* the state directory's fd carries create's flock: holding it would lock out `start` */
    close(l->sd->fd);
    l->sd->fd = -1;

    _cleanup_free_ char *cont = NULL;
    if (sync_expect(l->sync_child, SYNC_CONTINUE, &cont, NULL, &err) < 0)
        _exit(1); /* the parent gave up */
    int32_t host_pid;
    memcpy(&host_pid, cont, sizeof(host_pid));
    l->pid = host_pid;
    if (!proc && release_stdio(&err) < 0) /* the host's /dev/null, before any mount */
        fail(l, err);
    if (l->in_userns && process_become_root_in_userns(&err) < 0)
        fail(l, err);
    if (join_namespaces(l, &err) < 0 || unshare_late(l, &err) < 0)
        fail(l, err);
    if ((l->clone_flags & CLONE_NEWNET) && nl_loopback_up(&err) < 0)
        fail(l, err);
    if (set_names(spec, &err) < 0 || new_session_keyring(l, &err) < 0)
        fail(l, err);

    struct rootfs_ctx rc = {
        .spec = spec,
        .rootfs = l->rootfs,
        .new_mount_ns = true,
        .in_userns = l->in_userns,
        .new_cgroup_ns = (l->unshare_flags & CLONE_NEWCGROUP) != 0,
        .no_pivot = l->opts->no_pivot,
        .has_terminal = proc && proc->terminal,
    };
    if (chdir(l->bundle) < 0) {
        error_sys(&err, errno, "chdir to the bundle %s", l->bundle);
        fail(l, err);
    }
    if (rootfs_prepare(&rc, &err) < 0 || runtime_hooks(l, &err) < 0 ||
        container_hooks(l, OCI_HOOK_CREATE_CONTAINER, "creating", &err) < 0 || rootfs_pivot(&rc, &err) < 0 ||
        setup_terminal(l, &err) < 0 || rootfs_apply_sysctl(spec->linux, &err) < 0 || rootfs_finalize(&rc, &err) < 0)
        fail(l, err);

    _cleanup_free_ char *exe = NULL;
    if (proc) {
        if (process_set_home(l->spec->process, &err) < 0 ||
            process_apply_attributes(proc, spec->linux, &err) < 0 || process_find_executable(proc, &exe, &err) < 0 ||
            load_seccomp(l, SECCOMP_BEFORE_IDENTITY, &err) < 0 || process_set_identity(proc, &err) < 0 ||
            load_seccomp(l, SECCOMP_AFTER_IDENTITY, &err) < 0)
            fail(l, err);
    }
    if (process_close_fds(l->preserve_fds, &err) < 0 || process_make_undumpable(&err) < 0)
        fail(l, err);
    prctl(PR_SET_PDEATHSIG, 0);
    if (sync_send(l->sync_child, SYNC_READY, NULL, 0, -1, &err) < 0)
        _exit(1);
    close(l->sync_child);

    int conn = wait_for_start(l, &err);
    if (conn < 0)
        _exit(1);
    if (!proc) {
        error_new(&err, EINVAL, "process: config.json has no process to start");
        start_failed(conn, err);
    }
    if (container_hooks(l, OCI_HOOK_START_CONTAINER, "created", &err) < 0 ||
        process_apply_final_affinity(proc, &err) < 0 || load_seccomp(l, SECCOMP_BEFORE_EXEC, &err) < 0)
        start_failed(conn, err);
    execve(exe, proc->args, proc->env ? proc->env : (char *[]){NULL});
    error_sys(&err, errno, "exec %s", exe);
    start_failed(conn, err);
}
