/* libcontainer: the lifecycle of a container, as the command line drives it.  Every operation on
 * one id holds that container's lock, so two hull processes never corrupt a state. */
#ifndef HULL_LIBCONTAINER_CONTAINER_H
#define HULL_LIBCONTAINER_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
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
