/* Internal to exec: what the parent prepares and the exec'd process's two ancestors share. */
#ifndef HULL_LIBCONTAINER_EXEC_INTERNAL_H
#define HULL_LIBCONTAINER_EXEC_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "../base/error.h"
#include "../cgroups/cgroup.h"
#include "../oci/spec.h"
#include "container.h"

struct exec_ctx {
    const struct exec_opts *opts;
    struct oci_spec *spec;     /* the saved config.json */
    struct oci_process *proc;  /* the process to run (owned) */
    struct cgroup *cg;
    struct seccomp_filter *seccomp; /* linux.seccomp compiled (security/seccomp.h); NULL: none */
    char *state_json;          /* the container's state, for a seccomp listener */

    pid_t init_pid;            /* the container's process ... */
    int init_pidfd;            /* ... and its pidfd (setns(pidfd, ns_flags)) */
    int root_fd;               /* O_PATH of its root (/proc/<pid>/root) */
    int ns_flags;              /* CLONE_NEW* where its namespaces differ from hull's */
    int cgroup_fd;             /* clone3(CLONE_INTO_CGROUP) target on pure v2, else -1 */
    char *sub_cgroup_procs;    /* --cgroup on a hybrid host: cgroup.procs of the unified sub-cgroup */

    int sync_parent, sync_child; /* SOCK_SEQPACKET pair */
    pid_t stage_pid;           /* joins the namespaces, clones the process (as hull's child), exits */
    pid_t pid;                 /* the exec'd process, hull's child */
    int pidfd;
    int pty_master;            /* kept for the foreground relay (no --console-socket) */
};

/* exec_process.c: the process to run, from --process or from the config with the flags applied,
 * checked as create checks it.  Sets c->proc. */
int exec_build_process(struct exec_ctx *c, struct error **err);

/* exec_spawn.c: start the stage in the container's cgroup, let it join the namespaces and clone
 * the process, then follow the process until it has exec'd (its pty handed on on the way).
 * On failure nothing is left running. */
int exec_spawn(struct exec_ctx *c, struct error **err);

/* exec_init.c: the stage, in a child of hull; never returns. */
_Noreturn void exec_stage_main(struct exec_ctx *c);

#endif
