/* What create prepares in the parent and hands, by memory copy, to the container's first process:
 * everything parsed, resolved and opened before anything is forked. */
#ifndef HULL_LIBCONTAINER_LAUNCH_H
#define HULL_LIBCONTAINER_LAUNCH_H

#include <stdbool.h>
#include <sys/types.h>

#include "../base/error.h"
#include "../cgroups/cgroup.h"
#include "../oci/spec.h"
#include "container.h"
#include "statedir.h"

#define LAUNCH_MAX_JOINS 8

struct launch {
    const struct create_opts *opts;
    struct oci_spec *spec;
    char *config_json;       /* the bytes of config.json, saved into the state directory */
    size_t config_len;
    char *bundle;            /* absolute */
    char *rootfs;            /* absolute, canonical */

    /* namespaces to join, opened and type-checked in the parent, in join order */
    int join_fd[LAUNCH_MAX_JOINS];
    int join_flag[LAUNCH_MAX_JOINS];
    size_t n_joins;
    int clone_flags;         /* CLONE_NEW* that the clone itself creates */
    int unshare_flags;       /* CLONE_NEWCGROUP / CLONE_NEWTIME: unshared by the child */
    bool use_stage;          /* joining a user or pid namespace: clone through a stage process */
    bool in_userns;          /* a new or joined user namespace */
    int preserve_fds;        /* --preserve-fds plus systemd's LISTEN_FDS */

    struct cgroup *cg;
    struct statedir *sd;
    int sync_parent, sync_child; /* SOCK_SEQPACKET pair */
    int start_listen;        /* bound to <state>/start.sock */
    bool start_blocked;      /* run in the foreground: the child waits for the parent itself */

    pid_t pid;               /* the container process, in the caller's pid namespace */
    int pidfd;
    pid_t stage_pid;
    int pty_master;          /* kept by `run` when no console socket was given */
    struct seccomp_filter *seccomp; /* compiled linux.seccomp (security/seccomp.h); NULL: none */
    struct netsetup *net;    /* the network request and what was made (netsetup.h); NULL: none */
};

/* The state JSON (compact) for hooks. */
char *launch_state_json(const struct launch *l, const char *status, pid_t pid);

/* clone the container process (clone3, into the v2 cgroup where possible) and set l->pid/pidfd.
 * The child runs init_main() and never returns. */
int spawn_container(struct launch *l, struct error **err);

/* The container's first process: from the clone to the exec of process.args. */
_Noreturn void init_main(struct launch *l);

#endif
