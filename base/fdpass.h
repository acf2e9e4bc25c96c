/* One file descriptor passed over a unix socket with SCM_RIGHTS, together with some data: the
 * console socket (the pty master, runc's protocol) and the seccomp listener (the listener fd with
 * the container process state) both send this way. */
#ifndef HULL_BASE_FDPASS_H
#define HULL_BASE_FDPASS_H

#include <stddef.h>

#include "error.h"

/* Send fd with the first bytes of data (len bytes; with len 0 a single NUL, since a stream socket
 * carries ancillary data only with at least one byte).  All of data is sent: what a stream socket
 * does not take with the fd follows alone. */
int fd_send(int sock, int fd, const void *data, size_t len, struct error **err);

/* Receive one message with a descriptor: *fd gets it (close-on-exec; any further descriptors in
 * the message are closed).  Its data goes to data (at most size bytes, *len gets how many; data may
 * be NULL, then up to 4096 bytes are read and dropped).  A message without a descriptor is
 * -EBADMSG, the peer's end of the connection -ECONNRESET. */
int fd_recv(int sock, int *fd, void *data, size_t size, size_t *len, struct error **err);

#endif
