/* libcontainer: the lifecycle of a container, as the command line drives it.  Every operation on
 * one id holds that container's lock, so two hull processes never corrupt a state. */
#ifndef HULL_LIBCONTAINER_CONTAINER_H
#define HULL_LIBCONTAINER_CONTAINER_H

#include <stdbool.h>
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
