/* The parent <-> child protocol over a SOCK_SEQPACKET socketpair: one named message per packet,
 * an optional payload and an optional passed fd. */
#ifndef HULL_LIBCONTAINER_SYNC_H
#define HULL_LIBCONTAINER_SYNC_H

#include <stddef.h>

#include "../base/error.h"

enum sync_type {
    SYNC_CONTINUE = 1, /* parent -> child: id maps written, cgroup entered; payload: state JSON */
    SYNC_CHILD_PID,    /* stage -> parent: payload: the container process's pid (int) */
    SYNC_RUN_HOOKS,    /* child -> parent: mounts done; run prestart + createRuntime hooks */
    SYNC_HOOKS_DONE,   /* parent -> child */
    SYNC_PTY,          /* child -> parent: the pty master (fd passed) */
    SYNC_READY,        /* child -> parent: all set up; waiting for start */
    SYNC_ERROR,        /* either way: payload: int errnum + message; the sender gives up */
    SYNC_SECCOMP_FD,   /* child -> parent: the seccomp listener (fd passed), for listenerPath */
    SYNC_SECCOMP_DONE, /* parent -> child: the listener has it */
};

const char *sync_name(enum sync_type t);

int sync_send(int sock, enum sync_type t, const void *payload, size_t len, int fd, struct error **err);
/* Receive one message.  *payload (NUL-terminated, may be NULL) and *fd (-1 if none) are the
 * caller's.  A SYNC_ERROR from the peer comes back as that error (returned < 0). */
int sync_recv(int sock, enum sync_type *t, char **payload, size_t *len, int *fd, struct error **err);
/* Receive and insist on one type. */
int sync_expect(int sock, enum sync_type want, char **payload, int *fd, struct error **err);
/* Report an error to the peer (best effort). */
void sync_send_error(int sock, const struct error *e);

#endif
