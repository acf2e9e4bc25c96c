/* libcontainer: the lifecycle of a container, as the command line drives it.  Every operation on
 * one id holds that container's lock, so two hull processes never corrupt a state. */
#ifndef HULL_LIBCONTAINER_CONTAINER_H
#define HULL_LIBCONTAINER_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../base/error.h"

#define HULL_DEFAULT_ROOT "/run/hull"

struct create_opts {
    const char *root;           /* state root (--root) */
    const char *id;
    const char *bundle;         /* bundle directory; NULL = cwd */
    const char *pid_file;       /* NULL = none */
    const char *console_socket; /* NULL = none */
    int preserve_fds;
    bool no_pivot;
    bool no_new_keyring;
    const char *network;        /* --network: replaces the run.hull.network* annotations; NULL = none */
    bool no_cgroups;            /* --cgroup-manager disabled: the container stays in its creator's cgroups */
    /* run only: */
    bool detach;
    bool keep;
};

int container_create(const struct create_opts *o, struct error **err);
int container_start(const char *root, const char *id, struct error **err);
/* Foreground run: *exit_status is the container's status (128+N for a signal). */
int container_run(const struct create_opts *o, int *exit_status, struct error **err);

/* The spec's state document (pretty JSON, newline-terminated). */
int container_state(const char *root, const char *id, char **json, struct error **err);
int container_kill(const char *root, const char *id, int sig, bool all, struct error **err);
int container_delete(const char *root, const char *id, bool force, struct error **err);

/* ---------- resources (issue 3) ---------- */
struct oci_resources;
/* Apply the present fields of r to the cgroup of a created, running or paused container (a
 * stopped one is an error), then merge them into the saved config.json (rewritten atomically), so
 * later operations see the new values.  r->devices is skipped with a warning, as runc does.  When
 * applying fails half-way, the saved resources are applied again (best effort) and the error is
 * returned. */
int container_update(const char *root, const char *id, const struct oci_resources *r, struct error **err);
/* Freeze a running container's cgroup (waiting until frozen) / thaw a paused one.  Pausing a
 * container that is not running, or resuming one that is not paused, is an error. */
int container_pause(const char *root, const char *id, struct error **err);
int container_resume(const char *root, const char *id, struct error **err);
/* Host pids of every process in the container's cgroup (any status but "does not exist"). */
int container_pids(const char *root, const char *id, pid_t **pids, size_t *n, struct error **err);
/* `ps` as runc prints it: run ps(1) with ps_args (NULL or empty: "-ef") and return its header and
 * the lines whose PID column (found by name in the header) holds a pid of the container. */
int container_ps_table(const char *root, const char *id, char *const *ps_args, char **out, struct error **err);
/* One stats event, runc's JSON: {"type":"stats","id":ID,"data":{"cpu":...,"memory":...}} (no
 * newline).  The container must exist and not be stopped. */
int container_stats_event(const char *root, const char *id, char **line, struct error **err);
/* Stream events until the container stops (then 0): a stats event every interval_ms, and an
 * {"type":"oom","id":ID} event each time memory.oom_kill grows (watched with cgroup_oom_fd).
 * emit gets each line (no newline); a negative return from it stops the stream with that value.
 * The container's lock is held only while reading its state, not while streaming. */
typedef int (*container_event_fn)(const char *line, void *data);
int container_events(const char *root, const char *id, unsigned interval_ms, container_event_fn emit, void *data,
                     struct error **err);

/* ---------- exec (issue 4) ---------- */
struct exec_opts {
    const char *root;
    const char *id;
    char **args;                /* COMMAND [ARGS...]; NULL with process_file */
    const char *process_file;   /* --process: a process JSON document used as is (no other process flag) */
    const char *console_socket; /* with a terminal: send the pty master there instead of relaying it */
    const char *pid_file;
    const char *cwd;            /* NULL: the config's */
    char **env;                 /* KEY=VALUE each, added to the config's env (same key: replaced) */
    bool tty;                   /* process.terminal = true (without: false) */
    bool has_user;
    uint32_t uid, gid;          /* --user UID[:GID]; has_gid tells whether GID was given */
    bool has_gid;
    uint32_t *additional_gids;  /* --additional-gids, appended */
    size_t n_additional_gids;
    char **caps;                /* --cap names: added to bounding, effective, permitted (and ambient
                                 * when the config has an inheritable set) */
    bool no_new_privs;
    const char *apparmor;       /* refused: no AppArmor on this host */
    const char *process_label;  /* refused: no SELinux on this host */
    int preserve_fds;
    const char *cgroup;         /* --cgroup SUBPATH: an existing sub-cgroup of the container's */
    bool detach;
    bool ignore_paused;
};

/* Run a new process in the container `id` (created, running; paused only with ignore_paused):
 * it joins every namespace of the container's process, its cgroup and its root, and gets the
 * process attributes of the config (or of --process) with the flags applied.  Detached: returns
 * once the process has exec'd (*exit_status 0).  Foreground: relays signals and the terminal,
 * waits, and sets *exit_status to the process's status (128+N for signal N). */
int container_exec(const struct exec_opts *o, int *exit_status, struct error **err);

struct container_info {
    char *id;
    pid_t pid;      /* 0 when stopped */
    char *status;
    char *bundle;
    char *created;  /* RFC 3339 */
    char *owner;
};
int container_list(const char *root, struct container_info **out, size_t *n, struct error **err);
void container_info_free(struct container_info *list, size_t n);

/* ids: [A-Za-z0-9_+.-]+, not "." or "..", at most 1024 bytes (runc's rule). */
int container_id_validate(const char *id, struct error **err);

#endif
